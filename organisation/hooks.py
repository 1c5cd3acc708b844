"""Other apps react to organisation changes inside the same transaction.

``membership_granted``: callables ``(membership, actor)`` run when a role is granted; e.g. the
requirements app gives a newcomer the acknowledgement requests of the open communications
addressed to their unit and role.
"""

membership_granted: list = []
