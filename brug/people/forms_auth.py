"""Forms of the sign-in and password-reset pages."""

from datetime import timedelta
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def normalise_email(value: str) -> str:
    """Return an address the way accounts store it (trimmed, lower case)."""
    return (value or "").strip().lower()


class SignInForm(AuthenticationForm):
    """E-mail and password. The e-mail field keeps the name ``username``, which
    django-axes reads (``AXES_USERNAME_FORM_FIELD``)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That e-mail address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account has been switched off. Ask your administrator."),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username", ""))


class PasswordResetRequestForm(PasswordResetForm):
    """Ask for a reset link. The answer never says whether the address exists;
    the mail itself is sent by a job (``tasks_auth.send_password_reset``), so
    the page takes the same time either way."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email", ""))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Write the mail in the recipient's own language, and let a failure raise
        (Django's own version only logs it) so the job tries again."""
        language = context["user"].language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(
            subject, body, from_email, [to_email], headers={"Content-Language": language}
        ).send()

    def send_links(self) -> None:
        """Mail a reset link to every active account with this address (usually one)."""
        public = urlsplit(settings.PUBLIC_URL)
        self.save(
            domain_override=public.netloc,
            use_https=public.scheme == "https",
            subject_template_name="people/password_reset_subject.txt",
            email_template_name="people/password_reset_email.txt",
            extra_email_context={
                "public_url": settings.PUBLIC_URL.rstrip("/"),
                "expires": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
            },
        )


class NewPasswordForm(SetPasswordForm):
    """Choose a new password after following the link in the mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True
