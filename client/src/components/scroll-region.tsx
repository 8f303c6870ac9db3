import { useEffect, useRef, useState, type ReactNode } from 'react';

type Edges = { start: boolean; end: boolean };

/**
 * A horizontally scrollable box for content wider than a phone (tables): a named region that
 * keyboards can focus and scroll, with a shadow on each edge that has more content beyond it.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  /** The region's accessible name, e.g. "Top content table". */
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState<Edges>({ start: false, end: false });

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => {
      // scrollLeft is negative in right-to-left layouts; the distance is what matters.
      const scrolled = Math.abs(box.scrollLeft);
      const hidden = box.scrollWidth - box.clientWidth;
      const next = { start: scrolled > 1, end: hidden - scrolled > 1 };
      setEdges((previous) =>
        previous.start === next.start && previous.end === next.end ? previous : next,
      );
    };
    measure();
    box.addEventListener('scroll', measure, { passive: true });
    // The box resizes with the window, its content with new rows or a folded parent opening.
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    observer?.observe(box);
    if (box.firstElementChild) observer?.observe(box.firstElementChild);
    if (!observer) globalThis.addEventListener('resize', measure);
    return () => {
      box.removeEventListener('scroll', measure);
      observer?.disconnect();
      if (!observer) globalThis.removeEventListener('resize', measure);
    };
  }, []);

  return (
    <div
      className="scroll-shadows"
      data-more-start={edges.start || undefined}
      data-more-end={edges.end || undefined}
    >
      <div
        ref={ref}
        className={className ? `table-scroll ${className}` : 'table-scroll'}
        role="region"
        aria-label={label}
        tabIndex={0}
      >
        {children}
      </div>
    </div>
  );
}
