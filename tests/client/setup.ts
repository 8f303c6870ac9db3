// happy-dom has no layout: every element measures 0 × 0, which Recharts reports as an error for
// each chart. Without ResizeObserver, Recharts keeps the charts' initial size instead.
delete (globalThis as { ResizeObserver?: unknown }).ResizeObserver;
