"""/api/v1/ on a regency subdomain: applications (applicant), tracking and verification (public), officers."""
from django.urls import path

from permits.api import applications as views
from permits.api import counter

urlpatterns = [
    path("applications/", views.ApplicationListCreateAPI.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationDetailAPI.as_view(), name="application"),
    path("applications/<int:pk>/form/", views.ApplicationFormAPI.as_view(), name="application-form"),
    path("applications/<int:pk>/documents/", views.ApplicationDocumentAPI.as_view(), name="application-documents"),
    path("applications/<int:pk>/submit/", views.ApplicationSubmitAPI.as_view(), name="application-submit"),
    path("applications/<int:pk>/resubmit/", views.ApplicationSubmitAPI.as_view(resubmit=True),
         name="application-resubmit"),
    path("applications/<int:pk>/renew/", views.PermitRenewAPI.as_view(), name="application-renew"),
    # The counter (front office) for walk-in applicants, issue #20.
    path("counter/applications/", counter.CounterApplicationsAPI.as_view(), name="counter-applications"),
    path("counter/applications/<int:pk>/", counter.CounterApplicationAPI.as_view(), name="counter-application"),
    path("counter/applications/<int:pk>/form/", counter.CounterFormAPI.as_view(), name="counter-form"),
    path("counter/applications/<int:pk>/documents/", counter.CounterDocumentAPI.as_view(), name="counter-documents"),
    path("counter/applications/<int:pk>/submit/", counter.CounterSubmitAPI.as_view(), name="counter-submit"),
    path("counter/applications/<int:pk>/receipt/", counter.CounterReceiptAPI.as_view(), name="counter-receipt"),
    path("counter/applications/<int:pk>/hand-over/", counter.CounterHandOverAPI.as_view(), name="counter-hand-over"),
    path("counter/renewals/", counter.CounterRenewalsAPI.as_view(), name="counter-renewals"),
    path("tracking/", views.TrackingAPI.as_view(), name="tracking"),
    path("verification/<str:code>/", views.VerificationAPI.as_view(), name="verification"),
    path("worklist/", views.WorklistAPI.as_view(), name="worklist"),
    path("tasks/<int:pk>/claim/", views.TaskClaimAPI.as_view(), name="task-claim"),
    path("tasks/<int:pk>/act/", views.TaskActAPI.as_view(), name="task-act"),
    path("tasks/<int:pk>/survey-schedule/", views.TaskSurveyScheduleAPI.as_view(), name="task-survey-schedule"),
    path("documents/<int:pk>/review/", views.DocumentReviewAPI.as_view(), name="document-review"),
    path("documents/<int:pk>/download/", views.DocumentDownloadAPI.as_view(), name="document-download"),
    path("permits/<int:pk>/revoke/", views.PermitRevokeAPI.as_view(), name="permit-revoke"),
]
