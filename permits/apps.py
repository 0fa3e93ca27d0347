from django.apps import AppConfig


def _application_personal_data(sender, instance, **kwargs) -> None:
    """Each application loaded while handling a request declares its applicant's data personal,
    so an error report from that request blanks it (a walk-in's name in an exception text)."""
    from pintu.sentry import personal_data_seen

    loaded = instance.__dict__  # never touch a deferred field: that would query
    form = loaded.get("form_data")
    answers = [v for v in form.values() if isinstance(v, str)] if isinstance(form, dict) else []
    personal_data_seen(*(loaded.get(name) for name in (
        "applicant_name", "applicant_nik", "applicant_phone", "applicant_email")), *answers)


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = "Perizinan"

    def ready(self):
        from django.db.models.signals import post_init

        from permits.models.applications import Application

        post_init.connect(_application_personal_data, sender=Application,
                          dispatch_uid="permits.application_personal_data")

        from permits.services.notify import application_fallback_email
        from pintu.notify.signals import fallback_email

        fallback_email.connect(application_fallback_email, dispatch_uid="permits.application_fallback_email")
