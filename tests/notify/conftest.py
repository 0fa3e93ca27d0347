import pytest

from pintu.notify.services import preference_set


@pytest.fixture
def texting_applicant(applicant):
    applicant.phone = "081234567890"
    applicant.save()
    preference_set(user=applicant, wants_sms=True, wants_whatsapp=False)
    return applicant
