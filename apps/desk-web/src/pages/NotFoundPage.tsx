import { useDocumentTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { homePath, useSession } from '../session.ts';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  const { session } = useSession();
  return (
    <div className="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <Link to={homePath(session.user.role)}>Go to your start page</Link>.
      </p>
    </div>
  );
}
