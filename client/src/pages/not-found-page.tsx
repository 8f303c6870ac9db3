import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="state state-empty">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}
