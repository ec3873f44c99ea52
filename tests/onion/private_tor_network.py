#!/usr/bin/env python3
"""A private Tor network on 127.0.0.1 for attune's tests (no internet needed).

ctest runs this script as the `onion_network` fixture (tests/onion/CMakeLists.txt); it can
also be run by hand. Python 3 standard library only; needs `tor` and `tor-gencert`.

  private_tor_network.py start --dir D [--authorities 5]
      Makes D (mode 0700), picks free ports on 127.0.0.1, generates each directory
      authority's keys (tor-gencert, at every start: certificates expire, so keys are never
      kept), writes each authority's torrc and launches the tors detached from this script,
      with __OwningControllerProcess set to this script's parent process (ctest when run as
      the fixture; override with --owner-pid), so that every tor exits by itself within
      about 15 s once that process is gone. Each tor has a pid file D/<name>.pid. Every
      authority is also a relay and an HSDir; there are no other relays.
      Then waits (at most --timeout, 120 s) until every authority's consensus lists every
      router as Running, Stable, Guard, HSDir and Fast, and writes
        D/client.torrc   the lines a client tor appends to its own torrc to use this network
                         (its owner adds DataDirectory, SocksPort, ControlPort, ...);
        D/network.json   ports, pids, fingerprints, paths.
      On a timeout or an error it stops what it started and exits non-zero.

  private_tor_network.py stop --dir D
      SIGTERM to every tor named by a pid file in D, waits for them to be gone (15 s, then
      SIGKILL), removes the pid files. Succeeds when nothing is running.

  private_tor_network.py check-client --dir D
      Proves that the network works: starts two client tors (A and B) on it, publishes an
      onion service on A (ADD_ONION) in front of a TCP echo listener in this script, and
      checks a byte round trip from B through SOCKS5. Then publishes a second service that
      requires client authorisation (ClientAuthV3): B, without the key, must get the SOCKS5
      extended error 0xF4 (missing client authorisation); after ONION_CLIENT_AUTH_ADD it must
      connect. Stops both clients.

Every command prints one line per phase with the seconds elapsed since it began.
Use from a test: read D/network.json, append D/client.torrc to the client's torrc, and wait for
bootstrap (STATUS_CLIENT ... BOOTSTRAP PROGRESS=100) before connecting.
"""

import argparse
import base64
import collections
import ctypes
import json
import os
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from loopback_ports import free_ports  # noqa: E402  (the path above)

REQUIRED_FLAGS = ("Running", "Stable", "Guard", "HSDir", "Fast")
VOTING_INTERVAL = 20  # seconds; also the initial interval
VOTE_DELAY = 4
DIST_DELAY = 4
FIRST_VOTE_AFTER_LAUNCH = 5  # seconds from launching the tors to the first vote
STOP_WAIT = 15.0
KILL_WAIT = 5.0  # after SIGKILL
CONTROL_PORT_WAIT = 30.0  # launch to control port file and cookie (measured: under 0.1 s)
DEBUG = bool(os.environ.get("ATTUNE_ONION_DEBUG"))  # print every control-port event waited on

# SOCKS5 replies (RFC 1928, and tor's ExtendedErrors for onion services, tor's socks-extensions).
SOCKS_REPLIES = {
    0x00: "succeeded", 0x01: "general failure", 0x04: "host unreachable",
    0x05: "connection refused", 0x06: "TTL expired",
    0xF0: "onion service descriptor not found", 0xF1: "onion service descriptor invalid",
    0xF2: "onion service introduction failed", 0xF3: "onion service rendezvous failed",
    0xF4: "onion service missing client authorisation",
    0xF5: "onion service wrong client authorisation", 0xF6: "onion address invalid",
    0xF7: "onion service introduction timed out",
}


class Failure(Exception):
    """A check failed: the message says what and why."""


class Clock:
    """Prints one line per phase: total elapsed seconds and the phase's own seconds."""

    def __init__(self, command):
        self.command = command
        self.start = time.monotonic()
        self.last = self.start

    def phase(self, what):
        now = time.monotonic()
        print(f"[{self.command} {now - self.start:6.1f} s] {what} (+{now - self.last:.1f} s)",
              flush=True)
        self.last = now


# ---------------------------------------------------------------------------------------------
# Processes


def process_state(pid):
    """'R', 'S', 'Z', ... from /proc, or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat[stat.rfind(")") + 2:].split(" ", 1)[0]


def alive(pid):
    state = process_state(pid)
    return state is not None and state not in ("Z", "X")


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def usage(pid):
    """'peak RSS N MB, CPU N s' for a running process, from /proc; '' if unknown."""
    try:
        with open(f"/proc/{pid}/status") as f:
            hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError):
        return ""
    return f"peak RSS {hwm / 1024:.0f} MB, CPU {cpu:.1f} s"


def process_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def is_our_tor(pid, torrc):
    """True if pid is a tor started with this torrc (a pid file may outlive its process)."""
    return os.fsencode(torrc) in cmdline(pid)


def open_pidfd(pid):
    """A pidfd for pid (Linux 5.3+): it becomes readable once the process has exited, and a
    signal sent through it cannot reach another process that later gets the same pid.
    None if there is no such process."""
    try:
        return os.pidfd_open(pid)
    except ProcessLookupError:
        return None
    except (AttributeError, OSError) as e:
        raise Failure(f"pidfd_open({pid}) failed ({e}): this script needs Linux 5.3 or later "
                      "and Python 3.9 or later") from None


def wait_for_exits(pidfds, timeout):
    """pidfds: {name: pidfd}. Waits (select on the pidfds) until every process has exited, at
    most `timeout` s. Returns the names of those still running."""
    running = dict(pidfds)
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        for name, fd in running.items():
            sel.register(fd, selectors.EVENT_READ, name)
        while running:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            for key, _ in sel.select(remaining):
                sel.unregister(key.fd)
                del running[key.data]
    return sorted(running)


def terminate(procs, wait=STOP_WAIT):
    """procs: {name: (pid, pidfd or None)}; takes ownership of the pidfds. SIGTERM, wait up to
    `wait` s for the exits, then SIGKILL and wait KILL_WAIT s more. Returns {name: how}."""
    outcome = {}
    fds = {}
    try:
        for name, (pid, fd) in procs.items():
            if fd is None:
                fd = open_pidfd(pid)
                if fd is None:
                    outcome[name] = "already gone"
                    continue
            fds[name] = fd
            if not alive(pid):  # a zombie: exited, not yet reaped
                outcome[name] = "already gone"
                continue
            used = usage(pid)
            try:
                signal.pidfd_send_signal(fd, signal.SIGTERM)
                outcome[name] = f"SIGTERM ({used})" if used else "SIGTERM"
            except ProcessLookupError:
                outcome[name] = "already gone"
        running = wait_for_exits(fds, wait)
        for name in running:
            try:
                signal.pidfd_send_signal(fds[name], signal.SIGKILL)
                outcome[name] = f"SIGKILL after {wait:.0f} s"
            except ProcessLookupError:
                pass
        for name in wait_for_exits({name: fds[name] for name in running}, KILL_WAIT):
            outcome[name] = "STILL RUNNING"
    finally:
        for fd in fds.values():
            os.close(fd)
        reap_children()
    return outcome


def reap_children():
    """Reaps exited children of this script (tors launched by it) so they do not linger."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def die_with_parent():
    """Turns SIGTERM into SystemExit (so that what this script started is stopped on the way
    out) and asks Linux to send SIGTERM when this script's parent (ctest) dies."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("error: terminated by SIGTERM"))
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        sys.exit("error: the parent process has already exited")


def launch_tor(tor, torrc, log_path):
    """Starts tor in its own session, its standard streams away from ours (so that ctest,
    which waits for a test's output to close, does not wait for tor), and returns its pid."""
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [tor, "--defaults-torrc", "/dev/null", "-f", torrc],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, close_fds=True)
    proc.returncode = 0  # this script never waits for it: keep Popen.__del__ quiet
    return proc.pid


class DirWatch:
    """Linux inotify (libc's inotify_init1 and inotify_add_watch, through ctypes) on some
    directories: its file descriptor becomes readable when a file in one of them is renamed
    into place or closed after writing, which is how tor writes its control port file and
    cookie (a .tmp file, then rename). The waiter re-checks the files it wants on each wake-up,
    having added the watch before its first check, so nothing is missed."""

    IN_CLOSE_WRITE = 0x00000008
    IN_MOVED_TO = 0x00000080

    def __init__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise Failure(f"inotify_init1 failed: {os.strerror(ctypes.get_errno())}")

    def add(self, directory):
        if self.libc.inotify_add_watch(self.fd, os.fsencode(directory),
                                       self.IN_CLOSE_WRITE | self.IN_MOVED_TO) < 0:
            raise Failure(f"inotify_add_watch({directory}) failed: "
                          f"{os.strerror(ctypes.get_errno())}")

    def fileno(self):
        return self.fd

    def drain(self):
        """Discards the queued notifications (the waiter re-checks its files instead)."""
        while True:
            try:
                if not os.read(self.fd, 65536):
                    return
            except BlockingIOError:
                return

    def close(self):
        os.close(self.fd)


def control_files_ready(port_file, cookie):
    """True once tor has written both (the port file after opening the control listener, then
    the cookie; each renamed into place whole)."""
    return os.path.exists(port_file) and os.path.exists(cookie)


def read_control_port(port_file):
    """The port from a ControlPortWriteToFile file ("PORT=127.0.0.1:NNNN")."""
    with open(port_file) as f:
        text = f.read().strip()
    try:
        return int(text.splitlines()[0].rsplit(":", 1)[1])
    except (IndexError, ValueError):
        raise Failure(f"unexpected contents of {port_file}: {text!r}") from None


def read_pid_files(net_dir):
    """{name: (pid, torrc)} for the pid files in net_dir."""
    found = {}
    if not os.path.isdir(net_dir):
        return found
    for entry in sorted(os.listdir(net_dir)):
        if not entry.endswith(".pid"):
            continue
        name = entry[:-4]
        try:
            with open(os.path.join(net_dir, entry)) as f:
                pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        found[name] = (pid, os.path.join(net_dir, name, "torrc"))
    return found


def write_pid_file(net_dir, name, pid):
    path = os.path.join(net_dir, name + ".pid")
    with open(path + ".tmp", "w") as f:
        f.write(f"{pid}\n")
    os.replace(path + ".tmp", path)


def stop_tors(net_dir, names=None):
    """Stops the tors with pid files in net_dir (only `names` if given). Returns a report."""
    files = read_pid_files(net_dir)
    procs = {}
    report = {}
    try:
        for name, (pid, torrc) in files.items():
            if names is not None and name not in names:
                continue
            # The pidfd first, then the check: the pid cannot be reused while the pidfd is open.
            fd = open_pidfd(pid)
            if fd is not None and alive(pid) and is_our_tor(pid, torrc):
                procs[name] = (pid, fd)
            else:
                if fd is not None:
                    os.close(fd)
                report[name] = "not running"
    except BaseException:
        for _, fd in procs.values():
            os.close(fd)
        raise
    report.update(terminate(procs))
    for name in report:
        try:
            os.unlink(os.path.join(net_dir, name + ".pid"))
        except FileNotFoundError:
            pass
    return report


def log_tail(path, lines=10):
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return f"    ({path}: no log)"
    return "\n".join("    " + line for line in text[-lines:])


# ---------------------------------------------------------------------------------------------
# Control port


class Control:
    """A tor control-port connection with cookie authentication. Asynchronous events (650)
    that arrive while waiting for a command's reply are kept for wait_event(); pump() reads
    what select() says has arrived, without blocking."""

    def __init__(self, port, cookie_path, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.events = collections.deque()
        try:
            with open(cookie_path, "rb") as f:
                cookie = f.read()
            self.command("AUTHENTICATE " + cookie.hex(), timeout)
        except BaseException:
            self.sock.close()
            raise

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _parse(self):
        """Takes one whole reply or event from the buffer: (code, [lines]), data blocks folded
        into lines; None (the buffer unchanged) while it is incomplete."""
        lines = []
        pos = 0

        def line():
            nonlocal pos
            end = self.buf.find(b"\r\n", pos)
            if end < 0:
                return None
            text = self.buf[pos:end].decode("utf-8", "replace")
            pos = end + 2
            return text

        while True:
            text = line()
            if text is None:
                return None
            if len(text) < 4:
                raise Failure(f"malformed control reply: {text!r}")
            code, sep, rest = text[:3], text[3], text[4:]
            lines.append(rest)
            if sep == "+":
                while True:
                    data = line()
                    if data is None:
                        return None
                    if data == ".":
                        break
                    lines.append(data[1:] if data.startswith(".") else data)
            elif sep == " ":
                self.buf = self.buf[pos:]
                return code, lines

    def _receive(self, timeout):
        """Appends what arrives to the buffer; timeout 0: only what has already arrived."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, BlockingIOError) as e:
            if timeout == 0:
                return
            raise TimeoutError("no answer on the control port") from e
        if not data:
            raise Failure("tor closed the control connection")
        self.buf += data

    def _reply(self, deadline):
        """The next whole reply or event, waiting for it until the deadline."""
        while True:
            reply = self._parse()
            if reply is not None:
                return reply
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer on the control port")
            self._receive(remaining)

    def pump(self):
        """For a select() loop, when the socket is readable: reads what has arrived and queues
        the whole events in it. Returns how many were queued."""
        self._receive(0)
        count = 0
        while True:
            reply = self._parse()
            if reply is None:
                return count
            code, lines = reply
            if code != "650":
                raise Failure(f"unexpected control reply with no command: {code} {lines!r}")
            self.events.append(lines)
            count += 1

    def command(self, text, timeout=30.0, ok=("250",)):
        """Sends a command; returns the reply's lines; raises Failure unless its code is in ok."""
        self.sock.settimeout(timeout)
        self.sock.sendall(text.encode() + b"\r\n")
        deadline = time.monotonic() + timeout
        while True:
            code, lines = self._reply(deadline)
            if code == "650":
                self.events.append(lines)
                continue
            if code not in ok:
                shown = text.split(" ", 1)[0]
                raise Failure(f"{shown} failed: {code} {' '.join(lines)}")
            return lines

    def wait_event(self, predicate, timeout, what):
        """Returns the first event (its first line) for which predicate(line) is true."""
        deadline = time.monotonic() + timeout
        while True:
            while self.events:
                lines = self.events.popleft()
                if DEBUG:
                    print(f"    event: {lines[0]}", flush=True)
                if predicate(lines[0]):
                    return lines[0]
            try:
                code, lines = self._reply(deadline)
            except TimeoutError as e:
                raise Failure(f"timed out after {timeout:.0f} s waiting for {what}") from e
            if code == "650":
                self.events.append(lines)

    def getinfo(self, key, timeout=30.0):
        lines = self.command("GETINFO " + key, timeout)
        first = lines[0]
        if first.startswith(key + "="):
            rest = [first[len(key) + 1:]] + lines[1:-1]
            return "\n".join(line for line in rest if line)
        raise Failure(f"unexpected GETINFO reply: {lines!r}")


# ---------------------------------------------------------------------------------------------
# start


def run_all(commands, what, timeout=120):
    """Runs the commands concurrently; raises Failure with the output of any that failed."""
    procs = [(cmd, subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, cwd=cwd))
             for cmd, cwd in commands]
    deadline = time.monotonic() + timeout
    for cmd, proc in procs:
        try:
            out, _ = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for _, p in procs:
                p.kill()
                p.wait()
            raise Failure(f"{what} took more than {timeout} s") from None
        if proc.returncode != 0:
            raise Failure(f"{what} failed ({' '.join(cmd)}):\n{out.decode(errors='replace')}")


def authority_torrc(auth, owner_pid, voting_offset, dir_authority_lines):
    lines = [
        "# Generated by private_tor_network.py: one directory authority (also a relay, an HSDir).",
        "TestingTorNetwork 1",
        f"DataDirectory {auth['data_dir']}",
        f"Nickname {auth['nickname']}",
        f"Log notice file {auth['data_dir']}/notice.log",
        "SafeLogging 0",
        f"ControlPort 127.0.0.1:{auth['control_port']}",
        f"ControlPortWriteToFile {auth['data_dir']}/control-port",
        "CookieAuthentication 1",
        f"__OwningControllerProcess {owner_pid}",
        "GeoIPFile /dev/null",
        "GeoIPv6File /dev/null",
        "ShutdownWaitLength 0",
        "PathsNeededToBuildCircuits 0.67",
        "TestingDirAuthVoteExit *",
        "TestingDirAuthVoteHSDir *",
        "TestingDirAuthVoteGuard *",
        "TestingMinExitFlagThreshold 0",
        "V3AuthNIntervalsValid 2",
        f"TestingV3AuthVotingStartOffset {voting_offset} seconds",
        "SocksPort 0",
        f"ORPort 127.0.0.1:{auth['or_port']}",
        "Address 127.0.0.1",
        "AssumeReachable 1",
        "ServerDNSDetectHijacking 0",
        "ServerDNSTestAddresses",
        "ServerDNSResolvConfFile /dev/null",
        "ExitRelay 0",
        f"DirPort 127.0.0.1:{auth['dir_port']}",
        "AuthoritativeDirectory 1",
        "V3AuthoritativeDirectory 1",
        "ContactInfo attune-tests@localhost",
        f"TestingV3AuthInitialVotingInterval {VOTING_INTERVAL}",
        f"TestingV3AuthInitialVoteDelay {VOTE_DELAY}",
        f"TestingV3AuthInitialDistDelay {DIST_DELAY}",
        f"V3AuthVotingInterval {VOTING_INTERVAL}",
        f"V3AuthVoteDelay {VOTE_DELAY}",
        f"V3AuthDistDelay {DIST_DELAY}",
        "AuthDirVoteStableGuaranteeMinUptime 0",
        "AuthDirVoteStableGuaranteeMTBF 0",
    ] + dir_authority_lines
    return "\n".join(lines) + "\n"


def client_torrc_lines(dir_authority_lines):
    """What a client tor needs to use this network; its owner adds DataDirectory, SocksPort,
    ControlPort, __OwningControllerProcess and the like."""
    return [
        "TestingTorNetwork 1",
        *dir_authority_lines,
        "GeoIPFile /dev/null",
        "GeoIPv6File /dev/null",
        "PathsNeededToBuildCircuits 0.67",
    ]


def consensus_status(text, nicknames):
    """From a consensus's router entries: ({nickname: flags}, problems)."""
    flags = {}
    current = None
    for line in text.splitlines():
        if line.startswith("r "):
            current = line.split()[1]
            flags[current] = set()
        elif line.startswith("s ") and current is not None:
            flags[current] = set(line.split()[1:])
    problems = []
    for nick in nicknames:
        if nick not in flags:
            problems.append(f"{nick} absent")
        else:
            missing = [f for f in REQUIRED_FLAGS if f not in flags[nick]]
            if missing:
                problems.append(f"{nick} lacks {','.join(missing)}")
    return flags, problems


def cmd_start(args):
    clock = Clock("start")
    net_dir = os.path.abspath(args.dir)
    owner_pid = args.owner_pid or os.getppid()
    if not args.owner_pid:
        die_with_parent()
    n = args.authorities
    if n < 4:
        raise Failure("at least 4 authorities are needed (an onion service circuit has 4 hops)")
    tor, gencert = args.tor, args.tor_gencert

    # A previous network in the same directory (its owner may still be alive): stop it first.
    if os.path.isdir(net_dir) and os.listdir(net_dir) and not (
            os.path.exists(os.path.join(net_dir, "attuneauth0"))
            or os.path.exists(os.path.join(net_dir, "network.json"))):
        raise Failure(f"{net_dir} is not empty and is not a network directory: not removing it")
    leftover = {k: v for k, v in stop_tors(net_dir).items() if v != "not running"}
    if leftover:
        clock.phase(f"stopped the tors of a previous network in {net_dir}: {leftover}")
    if os.path.exists(net_dir):
        shutil.rmtree(net_dir)
    os.makedirs(net_dir, mode=0o700)
    os.chmod(net_dir, 0o700)
    clock.phase(f"prepared {net_dir} (owner: pid {owner_pid}, {process_name(owner_pid)})")

    ports = free_ports(3 * n)
    auths = []
    for i in range(n):
        nickname = f"attuneauth{i}"
        data_dir = os.path.join(net_dir, nickname)
        os.makedirs(os.path.join(data_dir, "keys"), mode=0o700)
        os.chmod(data_dir, 0o700)
        auths.append({
            "nickname": nickname, "data_dir": data_dir, "torrc": os.path.join(data_dir, "torrc"),
            "or_port": ports[3 * i], "dir_port": ports[3 * i + 1],
            "control_port": ports[3 * i + 2],
        })
    clock.phase(f"picked {3 * n} ports")

    # Keys: the v3 authority identity and certificate (tor-gencert, an empty passphrase), and the
    # relay identity (tor --list-fingerprint creates it in the data directory).
    commands = []
    for a in auths:
        commands.append(([gencert, "--create-identity-key", "--passphrase-fd", "0",
                          "-i", "authority_identity_key", "-s", "authority_signing_key",
                          "-c", "authority_certificate", "-m", "12",
                          "-a", f"127.0.0.1:{a['dir_port']}"], os.path.join(a["data_dir"], "keys")))
        commands.append(([tor, "--defaults-torrc", "/dev/null", "--ignore-missing-torrc",
                          "-f", "/dev/null", "--orport", "1", "--datadirectory", a["data_dir"],
                          "--list-fingerprint", "--quiet"], a["data_dir"]))
    run_all(commands, "key generation")
    for a in auths:
        with open(os.path.join(a["data_dir"], "keys", "authority_certificate")) as f:
            a["v3ident"] = next(line.split()[1] for line in f if line.startswith("fingerprint "))
        with open(os.path.join(a["data_dir"], "fingerprint")) as f:
            a["fingerprint"] = f.read().split()[1]
    clock.phase(f"generated keys for {n} authorities")

    dir_authority_lines = [
        f"DirAuthority {a['nickname']} orport={a['or_port']} no-v2 v3ident={a['v3ident']} "
        f"127.0.0.1:{a['dir_port']} {a['fingerprint']}" for a in auths]
    # The first vote (VOTE_DELAY + DIST_DELAY before a valid-after time) about
    # FIRST_VOTE_AFTER_LAUNCH s from now: soon, but after every authority has published.
    launch = int(time.time())
    voting_offset = (launch + FIRST_VOTE_AFTER_LAUNCH + VOTE_DELAY + DIST_DELAY) % VOTING_INTERVAL
    for a in auths:
        with open(a["torrc"], "w") as f:
            f.write(authority_torrc(a, owner_pid, voting_offset, dir_authority_lines))

    started = {}
    try:
        for a in auths:
            a["pid"] = launch_tor(tor, a["torrc"], os.path.join(a["data_dir"], "stdout.log"))
            a["pidfd"] = None
            started[a["nickname"]] = (a["pid"], None)
            write_pid_file(net_dir, a["nickname"], a["pid"])
            # Our child, not reaped before terminate(): its pid cannot have been reused yet.
            a["pidfd"] = open_pidfd(a["pid"])
            started[a["nickname"]] = (a["pid"], a["pidfd"])
        clock.phase(f"launched {n} tors (pids {' '.join(str(a['pid']) for a in auths)})")
        wait_for_consensus(auths, args.timeout, clock)
    except BaseException as e:
        outcome = terminate(started)  # closes the pidfds
        for name in started:
            try:
                os.unlink(os.path.join(net_dir, name + ".pid"))
            except FileNotFoundError:
                pass
        if isinstance(e, Failure):
            logs = "\n".join(
                f"  {a['nickname']} log:\n{log_tail(os.path.join(a['data_dir'], 'notice.log'))}"
                for a in auths)
            raise Failure(f"{e}\nstopped the tors started: {outcome}\n{logs}") from None
        raise
    for a in auths:
        if a["pidfd"] is not None:
            os.close(a["pidfd"])

    client_lines = client_torrc_lines(dir_authority_lines)
    client_torrc = os.path.join(net_dir, "client.torrc")
    with open(client_torrc, "w") as f:
        f.write("\n".join(client_lines) + "\n")
    network = {
        "dir": net_dir,
        "owner_pid": owner_pid,
        "client_torrc": client_torrc,
        "voting_interval_seconds": VOTING_INTERVAL,
        "started_unix": launch,
        "authorities": [{k: a[k] for k in ("nickname", "pid", "or_port", "dir_port",
                                           "control_port", "fingerprint", "v3ident",
                                           "data_dir", "torrc")} for a in auths],
    }
    with open(os.path.join(net_dir, "network.json"), "w") as f:
        json.dump(network, f, indent=2)
        f.write("\n")
    clock.phase(f"network ready: wrote {client_torrc} and network.json")
    return 0


def wait_for_consensus(auths, timeout, clock):
    """Waits until every authority's consensus lists every router with REQUIRED_FLAGS, on
    events only, in one select() whose timeout is the time left to the deadline:
      inotify on the data directories: an authority's control port is up once tor has written
        its ControlPortWriteToFile file and then its cookie; then the script connects,
        subscribes to NEWCONSENSUS and reads GETINFO ns/all once (a consensus may be there
        already);
      each control connection: a NEWCONSENSUS event, then one GETINFO ns/all;
      a pidfd per tor: it exited.
    Raises Failure after `timeout` s, if a tor exits or if a control connection fails."""
    nicknames = [a["nickname"] for a in auths]
    deadline = time.monotonic() + timeout
    controls = {}
    problems = {a["nickname"]: "control port not ready" for a in auths}
    last_report = None

    def remaining():
        return max(0.1, deadline - time.monotonic())

    def exited(a):
        return Failure(f"{a['nickname']} (pid {a['pid']}) exited:\n"
                       f"{log_tail(os.path.join(a['data_dir'], 'stdout.log'))}")

    def check(a):
        """One GETINFO ns/all: records what is still missing at this authority. Events that
        arrived before its reply are covered by it, and dropped."""
        name = a["nickname"]
        try:
            text = controls[name].getinfo("ns/all", timeout=min(10.0, remaining()))
            controls[name].events.clear()
        except TimeoutError:
            raise Failure(f"{name}: no answer to GETINFO ns/all") from None
        except Failure as e:
            if "GETINFO failed" not in str(e):
                raise
            problems[name] = "no consensus yet"  # GETINFO ns/all answers 551 until then
            return
        _, missing = consensus_status(text, nicknames)
        if not text.strip():
            problems[name] = "no consensus yet"
        elif missing:
            problems[name] = "; ".join(missing)
        else:
            problems.pop(name, None)

    with selectors.DefaultSelector() as sel:
        watch = DirWatch()
        try:
            for a in auths:
                watch.add(a["data_dir"])
                if a["pidfd"] is not None:
                    sel.register(a["pidfd"], selectors.EVENT_READ, ("exit", a))
                elif not alive(a["pid"]):
                    raise exited(a)
            sel.register(watch, selectors.EVENT_READ, ("files", None))
            woken = [("files", None)]  # the files may be there already
            while True:
                for kind, a in woken:
                    if kind == "exit":
                        raise exited(a)
                    if kind == "files":
                        watch.drain()
                        for b in auths:
                            name = b["nickname"]
                            if name in controls or not control_files_ready(
                                    os.path.join(b["data_dir"], "control-port"),
                                    os.path.join(b["data_dir"], "control_auth_cookie")):
                                continue
                            try:
                                c = Control(b["control_port"],
                                            os.path.join(b["data_dir"], "control_auth_cookie"),
                                            timeout=min(10.0, remaining()))
                            except (OSError, TimeoutError) as e:
                                raise Failure(f"{name}: cannot connect to its control port "
                                              f"{b['control_port']}: {e}") from None
                            controls[name] = c
                            c.command("SETEVENTS NEWCONSENSUS", timeout=min(10.0, remaining()))
                            sel.register(c.sock, selectors.EVENT_READ, ("control", b))
                            problems[name] = "no consensus yet"
                            check(b)  # subscribed first: a later consensus cannot be missed
                    elif kind == "control":
                        c = controls[a["nickname"]]
                        try:
                            c.pump()
                        except (OSError, Failure) as e:
                            # Closed because tor is exiting? Its pidfd says so within 1 s.
                            if a["pidfd"] is not None and not wait_for_exits(
                                    {a["nickname"]: a["pidfd"]}, 1.0):
                                raise exited(a) from None
                            raise Failure(f"{a['nickname']}: control connection: {e}") from None
                        news = 0
                        while c.events:
                            lines = c.events.popleft()
                            if DEBUG:
                                print(f"    {a['nickname']} event: {lines[0]} "
                                      f"({len(lines) - 2} router status lines)", flush=True)
                            news += lines[0].startswith("NEWCONSENSUS")
                        if news:
                            check(a)
                if not problems:
                    clock.phase(f"consensus at every authority lists all {len(auths)} routers "
                                f"with {','.join(REQUIRED_FLAGS)}")
                    return
                summary = sorted(set(problems.values()))
                if summary != last_report:
                    clock.phase("waiting: " + " | ".join(summary))
                    last_report = summary
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"timed out after {timeout:.0f} s waiting for a full "
                                  f"consensus: {problems}")
                woken = [key.data for key, _ in sel.select(left)]
        except (OSError, TimeoutError) as e:
            raise Failure(f"waiting for the consensus: {e}") from None
        finally:
            for c in controls.values():
                c.close()
            watch.close()


# ---------------------------------------------------------------------------------------------
# stop


def cmd_stop(args):
    clock = Clock("stop")
    net_dir = os.path.abspath(args.dir)
    report = stop_tors(net_dir)
    if not report:
        clock.phase(f"no tor pid files in {net_dir}: nothing to stop")
        return 0
    clock.phase(f"stopped the tors of {net_dir}")
    for name, how in sorted(report.items()):
        print(f"    {name}: {how}", flush=True)
    still = [k for k, v in report.items() if v == "STILL RUNNING"]
    if still:
        print(f"error: still running after SIGKILL: {still}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------
# check-client


def x25519(scalar, u):
    """X25519 (RFC 7748) in pure Python: scalar and u are 32 bytes; returns 32 bytes."""
    p = 2**255 - 19
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    k = int.from_bytes(k, "little")
    x1 = int.from_bytes(u, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in range(254, -1, -1):
        bit = (k >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = (x2 + z2) % p, (x2 - z2) % p
        aa, bb = a * a % p, b * b % p
        e = (aa - bb) % p
        c, d = (x3 + z3) % p, (x3 - z3) % p
        da, cb = d * a % p, c * b % p
        x3 = (da + cb) ** 2 % p
        z3 = x1 * (da - cb) ** 2 % p
        x2 = aa * bb % p
        z2 = e * (aa + 121665 * e) % p
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, p - 2, p) % p).to_bytes(32, "little")


def x25519_keypair():
    # RFC 7748 section 6.1 test vector first, so that a broken implementation fails loudly.
    alice = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    expect = bytes.fromhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
    if x25519(alice, (9).to_bytes(32, "little")) != expect:
        raise Failure("X25519 self-test failed")
    private = bytearray(secrets.token_bytes(32))
    private[0] &= 248
    private[31] &= 127
    private[31] |= 64
    private = bytes(private)
    return private, x25519(private, (9).to_bytes(32, "little"))


class EchoServer:
    """A TCP echo listener on 127.0.0.1 (the onion services' target)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn):
        conn.settimeout(120)
        with conn:
            try:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        return
                    conn.sendall(data)
            except OSError:
                return

    def close(self):
        self.sock.close()


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise Failure(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def socks5_connect(socks_port, host, port, timeout):
    """SOCKS5 CONNECT with a domain name. Returns (reply code, socket or None)."""
    sock = socket.create_connection(("127.0.0.1", socks_port), timeout=timeout)
    try:
        sock.sendall(b"\x05\x01\x00")
        if recv_exact(sock, 2) != b"\x05\x00":
            raise Failure("SOCKS5 server refused the no-authentication method")
        name = host.encode("ascii")
        sock.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name + port.to_bytes(2, "big"))
        ver, rep, _, atyp = recv_exact(sock, 4)
        if ver != 5:
            raise Failure(f"bad SOCKS5 reply version {ver}")
        try:
            if atyp == 1:
                recv_exact(sock, 4 + 2)
            elif atyp == 4:
                recv_exact(sock, 16 + 2)
            elif atyp == 3:
                recv_exact(sock, recv_exact(sock, 1)[0] + 2)
        except (Failure, OSError):
            if rep == 0:
                raise
        if rep != 0:
            sock.close()
            return rep, None
        return rep, sock
    except BaseException:
        sock.close()
        raise


def describe_reply(rep):
    return f"0x{rep:02X} ({SOCKS_REPLIES.get(rep, 'unknown')})"


def round_trip(socks_port, onion, virt_port, timeout=60):
    rep, sock = socks5_connect(socks_port, onion, virt_port, timeout)
    if sock is None:
        raise Failure(f"SOCKS5 connect to {onion}:{virt_port} failed: {describe_reply(rep)}")
    with sock:
        payload = secrets.token_bytes(64)
        sock.sendall(payload)
        echoed = recv_exact(sock, len(payload))
        if echoed != payload:
            raise Failure("echo mismatch through the onion service")


class ClientTor:
    """A client tor on the network, owned by this script."""

    def __init__(self, net_dir, name, tor, client_lines):
        self.net_dir = net_dir
        self.name = name
        self.data_dir = os.path.join(net_dir, name)
        if os.path.exists(self.data_dir):
            shutil.rmtree(self.data_dir)
        os.makedirs(self.data_dir, mode=0o700)
        self.port_file = os.path.join(self.data_dir, "control-port")
        self.cookie = os.path.join(self.data_dir, "control_auth_cookie")
        self.torrc = os.path.join(self.data_dir, "torrc")
        own = [
            f"# Generated by private_tor_network.py check-client: client {name}.",
            f"DataDirectory {self.data_dir}",
            f"Log notice file {self.data_dir}/notice.log",
            "SafeLogging 0",
            "ControlPort auto",
            f"ControlPortWriteToFile {self.port_file}",
            "CookieAuthentication 1",
            "SocksPort auto ExtendedErrors",
            f"__OwningControllerProcess {os.getpid()}",
        ]
        with open(self.torrc, "w") as f:
            f.write("\n".join(own + client_lines) + "\n")
        self.pid = launch_tor(tor, self.torrc, os.path.join(self.data_dir, "stdout.log"))
        write_pid_file(net_dir, name, self.pid)
        self.control = None
        self.socks_port = None

    def connect(self, timeout=CONTROL_PORT_WAIT):
        """Waits for the control port file (tor writes it once its control listener is open)
        and then the cookie, on inotify events for the data directory, or for tor's exit on a
        pidfd; then connects and authenticates."""
        deadline = time.monotonic() + timeout
        pidfd = open_pidfd(self.pid)  # our child, not yet reaped: still this tor
        watch = DirWatch()
        try:
            with selectors.DefaultSelector() as sel:
                watch.add(self.data_dir)  # before the first check: no write can be missed
                sel.register(watch, selectors.EVENT_READ, "files")
                if pidfd is not None:
                    sel.register(pidfd, selectors.EVENT_READ, "exit")
                exited = pidfd is None
                while not control_files_ready(self.port_file, self.cookie):
                    remaining = deadline - time.monotonic()
                    if exited:
                        raise Failure(f"client {self.name} exited:\n"
                                      f"{log_tail(os.path.join(self.data_dir, 'stdout.log'))}")
                    if remaining <= 0:
                        raise Failure(f"client {self.name}: no control port file "
                                      f"{self.port_file} and cookie after {timeout:.0f} s")
                    for key, _ in sel.select(remaining):
                        if key.data == "exit":
                            exited = True
                        else:
                            watch.drain()
        finally:
            watch.close()
            if pidfd is not None:
                os.close(pidfd)
        self.control = Control(read_control_port(self.port_file), self.cookie)
        listeners = self.control.getinfo("net/listeners/socks").split()
        self.socks_port = int(listeners[0].strip('"').rsplit(":", 1)[1])

    def start_bootstrap_watch(self):
        self.control.command("SETEVENTS STATUS_CLIENT")

    def wait_bootstrapped(self, timeout):
        phase = self.control.getinfo("status/bootstrap-phase")
        if "PROGRESS=100" in phase.split():
            return
        self.control.wait_event(
            lambda e: e.startswith("STATUS_CLIENT ") and " BOOTSTRAP " in e
            and "PROGRESS=100" in e.split(), timeout, f"client {self.name} to bootstrap")

    def log(self):
        return log_tail(os.path.join(self.data_dir, "notice.log"))


def add_onion_and_wait(ctl, echo_port, virt_port, timeout, client_auth_pubkey=None):
    """ADD_ONION (SETEVENTS HS_DESC first); waits until every descriptor upload the service
    started has been answered and at least one succeeded. Returns (service id, uploads)."""
    ctl.command("SETEVENTS STATUS_CLIENT HS_DESC")
    flags = "DiscardPK" if client_auth_pubkey is None else "DiscardPK,V3Auth"
    cmd = f"ADD_ONION NEW:ED25519-V3 Flags={flags} Port={virt_port},127.0.0.1:{echo_port}"
    if client_auth_pubkey is not None:
        # The client's x25519 public key, base32 without padding (52 characters).
        cmd += " ClientAuthV3=" + base64.b32encode(client_auth_pubkey).decode().rstrip("=").lower()
    lines = ctl.command(cmd)
    service_id = next(line.split("=", 1)[1] for line in lines if line.startswith("ServiceID="))
    pending = collections.Counter()
    uploaded = failed = 0
    deadline = time.monotonic() + timeout

    def ours(event):
        words = event.split()
        return len(words) >= 4 and words[0] == "HS_DESC" and words[2] == service_id

    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failure(f"timed out waiting for the descriptor of {service_id} to be uploaded "
                          f"({uploaded} uploaded, {failed} failed)")
        words = ctl.wait_event(ours, remaining, f"HS_DESC events for {service_id}").split()
        action, hsdir = words[1], words[4] if len(words) > 4 else "?"
        if action == "UPLOAD":
            pending[hsdir] += 1
        elif action in ("UPLOADED", "FAILED"):
            if pending[hsdir] > 0:
                pending[hsdir] -= 1
            if action == "UPLOADED":
                uploaded += 1
            else:
                failed += 1
            if uploaded > 0 and sum(pending.values()) == 0:
                return service_id, f"{uploaded} uploaded, {failed} failed"


def cmd_check_client(args):
    clock = Clock("check-client")
    die_with_parent()
    net_dir = os.path.abspath(args.dir)
    client_torrc = os.path.join(net_dir, "client.torrc")
    if not os.path.exists(client_torrc):
        raise Failure(f"{client_torrc} is missing: run `start --dir {args.dir}` first")
    with open(client_torrc) as f:
        client_lines = [line.rstrip("\n") for line in f if line.strip()]
    for name, (pid, torrc) in read_pid_files(net_dir).items():
        if name.startswith("attuneauth") and not (alive(pid) and is_our_tor(pid, torrc)):
            raise Failure(f"authority {name} (pid {pid}) is not running")

    echo = EchoServer()
    clients = []
    try:
        clients = [ClientTor(net_dir, "clientA", args.tor, client_lines),
                   ClientTor(net_dir, "clientB", args.tor, client_lines)]
        clock.phase(f"launched clients A and B (pids {clients[0].pid} {clients[1].pid})")
        for c in clients:
            c.connect()
            c.start_bootstrap_watch()
        for c in clients:
            c.wait_bootstrapped(args.timeout)
        a, b = clients
        clock.phase(f"both clients bootstrapped to 100% (SOCKS ports {a.socks_port} "
                    f"{b.socks_port})")

        virt_port = 80
        service, uploads = add_onion_and_wait(a.control, echo.port, virt_port, args.timeout)
        clock.phase(f"onion service {service}.onion published on A ({uploads})")
        round_trip(b.socks_port, service + ".onion", virt_port)
        clock.phase("round trip from B through the onion service: OK")

        private, public = x25519_keypair()
        service2, uploads = add_onion_and_wait(a.control, echo.port, virt_port, args.timeout,
                                               client_auth_pubkey=public)
        clock.phase(f"service {service2}.onion with ClientAuthV3 published ({uploads})")
        rep, sock = socks5_connect(b.socks_port, service2 + ".onion", virt_port, 60)
        if sock is not None:
            sock.close()
        if rep != 0xF4:
            raise Failure("B without the client key: expected SOCKS5 reply 0xF4, got "
                          + describe_reply(rep))
        clock.phase("B without the client key got SOCKS5 reply " + describe_reply(rep))
        key = base64.b64encode(private).decode()
        # 251: replaced an existing key; 252: added, and B's cached descriptor now decrypts.
        reply = b.control.command(f"ONION_CLIENT_AUTH_ADD {service2} x25519:{key}",
                                  ok=("250", "251", "252"))
        round_trip(b.socks_port, service2 + ".onion", virt_port)
        clock.phase(f"after ONION_CLIENT_AUTH_ADD on B ({reply[0]}): round trip OK")
    except Failure as e:
        logs = "\n".join(f"  client {c.name} log:\n{c.log()}" for c in clients)
        raise Failure(f"{e}\n{logs}") from None
    finally:
        for c in clients:
            if c.control is not None:
                c.control.close()
        outcome = stop_tors(net_dir, names={c.name for c in clients})
        echo.close()
        clock.phase("stopped the clients")
        for name, how in sorted(outcome.items()):
            print(f"    {name}: {how}", flush=True)
    return 0


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--dir", required=True, help="the network's directory")
        p.add_argument("--tor", default=shutil.which("tor") or "/usr/sbin/tor")

    p = sub.add_parser("start", help="generate keys, launch the authorities, wait for consensus")
    common(p)
    p.add_argument("--tor-gencert", default=shutil.which("tor-gencert") or "/usr/bin/tor-gencert")
    p.add_argument("--authorities", type=int, default=5)
    p.add_argument("--owner-pid", type=int, default=0,
                   help="__OwningControllerProcess for the tors (default: this script's parent)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds to wait for a full consensus")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("stop", help="stop every tor with a pid file in the directory")
    common(p)
    p.set_defaults(func=cmd_stop)

    p = sub.add_parser("check-client", help="prove onion round trips and client authorisation")
    common(p)
    p.add_argument("--timeout", type=float, default=90.0,
                   help="seconds for each wait (bootstrap, descriptor upload)")
    p.set_defaults(func=cmd_check_client)

    args = parser.parse_args()
    try:
        return args.func(args)
    except Failure as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
