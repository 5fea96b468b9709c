"""The domain error every service raises: a request the rules do not allow, with a message for the person."""


class DomainError(Exception):
    """A request the rules do not allow; the message is shown to the person."""
