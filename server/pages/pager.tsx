/**
 * Previous / next page links for a paginated table (all state in the URL).
 *
 * @example
 * ```tsx
 * import { Pager } from "./pager.tsx";
 * <Pager label="Leaderboard pages" page={2} pages={5} href={(p) => `/?page=${p}`} />;
 * ```
 * @module
 */

/** A pager's state; `pages` is null when the last page is not known. */
export interface PagerProps {
  label: string;
  page: number;
  pages: number | null;
  /** Whether there is a page after this one (when `pages` is null). */
  hasNext?: boolean;
  href: (page: number) => string;
}

/**
 * The pager; nothing when everything fits on one page.
 *
 * @example
 * ```tsx
 * <Pager label="Cases" page={1} pages={null} hasNext href={(p) => `?page=${p}`} />
 * ```
 */
export function Pager(props: PagerProps) {
  const { page, pages } = props;
  const hasNext = pages !== null ? page < pages : Boolean(props.hasNext);
  if (page <= 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      <ul>
        {page > 1 && (
          <li>
            <a href={props.href(page - 1)} rel="prev">← Previous</a>
          </li>
        )}
        <li aria-current="page">
          Page {page}
          {pages !== null ? ` of ${pages}` : ""}
        </li>
        {hasNext && (
          <li>
            <a href={props.href(page + 1)} rel="next">Next →</a>
          </li>
        )}
      </ul>
    </nav>
  );
}
