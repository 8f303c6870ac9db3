import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ScrollRegion } from '../../client/src/components/scroll-region.js';

/** happy-dom has no layout: give every element the sizes of a table wider than its box. */
function fakeOverflow({ content, box }: { content: number; box: number }) {
  const descriptors = {
    scrollWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollWidth'),
    clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
  };
  Object.defineProperty(HTMLElement.prototype, 'scrollWidth', {
    configurable: true,
    get: () => content,
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get: () => box,
  });
  return () => {
    for (const [name, descriptor] of Object.entries(descriptors)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
    }
  };
}

let restore = () => {};
afterEach(() => {
  cleanup();
  restore();
  restore = () => {};
});

const table = (
  <table>
    <tbody>
      <tr>
        <td>wide</td>
      </tr>
    </tbody>
  </table>
);

describe('ScrollRegion', () => {
  it('is a named region that the keyboard can focus (and so scroll)', () => {
    render(<ScrollRegion label="Top content table">{table}</ScrollRegion>);
    const region = screen.getByRole('region', { name: 'Top content table' });
    expect(region.tabIndex).toBe(0);
    region.focus();
    expect(document.activeElement).toBe(region);
  });

  it('shades each edge that hides more content, following the scroll', () => {
    restore = fakeOverflow({ content: 600, box: 300 });
    render(<ScrollRegion label="Wide table">{table}</ScrollRegion>);
    const region = screen.getByRole('region', { name: 'Wide table' });
    const shadows = region.parentElement!;
    // At the start: more to the right only.
    expect(shadows.dataset['moreStart']).toBeUndefined();
    expect(shadows.dataset['moreEnd']).toBe('true');

    Object.defineProperty(region, 'scrollLeft', { configurable: true, value: 150 });
    fireEvent.scroll(region);
    expect(shadows.dataset['moreStart']).toBe('true');
    expect(shadows.dataset['moreEnd']).toBe('true');

    Object.defineProperty(region, 'scrollLeft', { configurable: true, value: 300 });
    fireEvent.scroll(region);
    expect(shadows.dataset['moreStart']).toBe('true');
    expect(shadows.dataset['moreEnd']).toBeUndefined();
  });

  it('shades no edge when everything fits', () => {
    restore = fakeOverflow({ content: 300, box: 300 });
    render(<ScrollRegion label="Narrow table">{table}</ScrollRegion>);
    const shadows = screen.getByRole('region', { name: 'Narrow table' }).parentElement!;
    expect(shadows.dataset['moreStart']).toBeUndefined();
    expect(shadows.dataset['moreEnd']).toBeUndefined();
  });
});
