"""What pintu.notify announces and asks, for apps above it (billing_free's meters and quotas).

- `message_sent` (sender=OutboxMessage; kwargs message, regency): one message left the platform. Sent in
  the transaction that marks it sent, so a listener's rows commit with it; a listener's error never
  undoes the send (send_robust).
- `text_channel_allowed` (sender=None; kwargs channel, regency): may an SMS or WhatsApp message go out
  now? Any listener answering False holds the channel back and the message goes by e-mail instead.
- `fallback_email` (sender=None; kwargs message): an SMS or WhatsApp message failed for good (every
  retry spent); a listener that knows the person's e-mail address today (the application's, for a
  walk-in handed over to an account since) answers it, and the message goes there by e-mail.
"""
from django.dispatch import Signal

message_sent = Signal()
text_channel_allowed = Signal()
fallback_email = Signal()
