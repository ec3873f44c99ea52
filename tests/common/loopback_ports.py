"""Free TCP ports for the Python-driven tests (tor relays, serve links) to hand to children.

Ports are chosen at random below Linux's ephemeral range (32768-60999 by default). Binding to
port 0 and releasing it, as these tests once did, draws from that range, where any outgoing
connection made meanwhile by a test running alongside (or by tor itself) may be handed the same
port before the child binds it. tests/e2e/loopback.cc chooses the C++ tests' ports the same way.
"""

import random
import socket

FIRST_CHOSEN_PORT = 20000
CHOSEN_PORT_COUNT = 12000


def port_is_free(port):
    """Whether nothing is bound to `port` on any address (a TIME_WAIT connection counts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def free_ports(count, taken=()):
    """`count` distinct ports, free a moment ago and not in `taken`."""
    chosen = []
    start = random.SystemRandom().randrange(CHOSEN_PORT_COUNT)
    for tried in range(CHOSEN_PORT_COUNT):
        port = FIRST_CHOSEN_PORT + (start + tried) % CHOSEN_PORT_COUNT
        if port in taken or not port_is_free(port):
            continue
        chosen.append(port)
        if len(chosen) == count:
            return chosen
    raise OSError(f"fewer than {count} free ports in {FIRST_CHOSEN_PORT}-"
                  f"{FIRST_CHOSEN_PORT + CHOSEN_PORT_COUNT - 1}")
