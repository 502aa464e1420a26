"""Jobs of the sign-in pages."""

from brug.core.jobs import job
from brug.people.forms_auth import PasswordResetRequestForm


@job(max_attempts=4, backoff=30)
def send_password_reset(*, email: str) -> None:
    """Mail a password-reset link to the account with this address, if there is one.

    Runs as a job so that the request page does the same work, and takes the
    same time, whether or not the address belongs to an account. A mail
    server that is down makes the job fail and try again later.
    """
    form = PasswordResetRequestForm(data={"email": email})
    if form.is_valid():
        form.send_links()
