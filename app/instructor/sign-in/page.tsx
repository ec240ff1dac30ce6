// /instructor/sign-in — instructors and admins sign in; learners never need to.
import { appServices } from '../_components/instructor-session';
import { SignInForm } from '../_components/sign-in-form';
import '../_components/workshops.css';

export const dynamic = 'force-dynamic';

export default function SignInPage() {
  return (
    <main className="narrow">
      <h1>Instructor sign-in</h1>
      <SignInForm oidc={!!appServices().config.auth.oidc.issuer} />
    </main>
  );
}
