"""What the outbox tells the layers above it, which it does not import."""

from django.dispatch import Signal

# A notice was delivered (sent: True by its channel). Sent with `notice`, after the notice is
# marked sent; the timers listen (prosecution/terms/receivers.py: a notice that is itself an
# obligation meets its term).
delivered = Signal()
