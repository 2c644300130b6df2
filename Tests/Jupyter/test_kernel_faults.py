"""The ECGScript kernel under bad input and faults, through jupyter_client and raw ZeroMQ sockets.

Every case ends with the kernel answering a normal request, so a fault that hangs or kills it fails.
Prints the interrupt latency and the empty-cell round trip (median of 50) for the notes.
"""
import json
import os
import signal
import statistics
import time
import unittest
import uuid

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 30


class KernelFaultTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="ecgs")

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    # helpers

    def run_cell(self, code, **kw):
        """Executes code; returns (reply content, iopub messages of this request)."""
        msg_id = self.kc.execute(code, **kw)
        reply = self.reply_to(msg_id)
        outputs = []
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            outputs.append(m)
        return reply["content"], outputs

    def reply_to(self, msg_id, timeout=TIMEOUT):
        while True:
            r = self.kc.get_shell_msg(timeout=timeout)
            if r["parent_header"].get("msg_id") == msg_id:
                return r

    def value_of(self, expr):
        content, outputs = self.run_cell(expr)
        self.assertEqual(content["status"], "ok", f"{expr!r}: {content}")
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        self.assertTrue(results, f"no execute_result for {expr!r}: {[o['msg_type'] for o in outputs]}")
        return results[-1]["content"]["data"]["text/plain"]

    def assert_alive(self):
        self.assertEqual(self.value_of("40 + 2"), "42")

    def raw_shell(self):
        """A DEALER socket on the kernel's shell port, and the connection's session (for signing)."""
        info = self.km.get_connection_info(session=True)
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        # A session of its own (jupyter_client numbers message ids per session object).
        return sock, Session(key=self.km.session.key)

    def assert_no_reply(self, sock, wait=1.0):
        self.assertEqual(sock.poll(int(wait * 1000)), 0, "the kernel answered a message it should have dropped")

    # bad messages

    def test_bad_signature_is_dropped_and_not_run(self):
        sock, session = self.raw_shell()
        forged = Session(key=b"not-the-key", username="mallory")
        forged.send(sock, "execute_request", {"code": 'stolen = 1', "silent": False})
        self.assert_no_reply(sock)
        self.assertEqual(self.run_cell("stolen")[0]["ename"], "ECGScriptError")  # never executed
        self.assert_alive()

    def test_malformed_json_and_missing_frames_are_dropped(self):
        sock, session = self.raw_shell()
        hdr = {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "session": session.session, "username": "t",
               "date": "2026-01-01T00:00:00Z", "version": "5.3"}
        header, parent, meta = (json.dumps(x).encode() for x in (hdr, {}, {}))
        content = b"{not json"
        sig = session.sign([header, parent, meta, content]).decode()
        sock.send_multipart([b"<IDS|MSG>", sig.encode(), header, parent, meta, content])
        self.assert_no_reply(sock)
        sock.send_multipart([b"<IDS|MSG>", b"abc", b"{}"])  # too few frames
        sock.send_multipart([b"no delimiter at all"])
        self.assert_no_reply(sock)
        self.assert_alive()

    def test_unknown_type_is_dropped_and_old_protocol_still_answered(self):
        sock, session = self.raw_shell()
        session.send(sock, "frobnicate_request", {})
        self.assert_no_reply(sock)
        msg = session.msg("kernel_info_request", {})
        msg["header"]["version"] = "4.1"
        session.send(sock, msg)
        self.assertTrue(sock.poll(TIMEOUT * 1000))
        _, reply = session.feed_identities(sock.recv_multipart())
        self.assertEqual(session.deserialize(reply)["content"]["protocol_version"], "5.3")
        self.assert_alive()

    def test_huge_message_is_refused_and_kernel_stays_up(self):
        sock, session = self.raw_shell()
        session.send(sock, "execute_request", {"code": "big = 1  # " + "x" * (300 << 20), "silent": False})
        self.assert_no_reply(sock, wait=3)
        self.assert_alive()

    # interrupts

    def test_interrupt_while_idle_then_work_goes_on(self):
        self.km.interrupt_kernel()
        time.sleep(0.3)
        self.assert_alive()

    def test_interrupt_stops_a_loop_keeping_what_it_computed(self):
        msg_id = self.kc.execute("i = 0\nwhile true { i = i + 1 }")
        time.sleep(1.0)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.reply_to(msg_id)
        latency = time.monotonic() - t0
        print(f"\ninterrupt latency (message mode, loop): {latency * 1000:.1f} ms")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertLess(latency, 5)
        self.assertGreater(float(self.value_of("i")), 0)

    def test_sigint_interrupts_too(self):
        msg_id = self.kc.execute("j = 0\nwhile true { j = j + 1 }")
        time.sleep(0.5)
        os.kill(self.km.provisioner.process.pid, signal.SIGINT)
        reply = self.reply_to(msg_id)
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assert_alive()

    def test_interrupted_training_keeps_the_best_model(self):
        self.run_cell('ds = synth(n=60, seconds=2.5, seed=1)\nm = net1d(preset="tiny", classes=len(ds.classes))')
        msg_id = self.kc.execute("run = finetune(m, ds, epochs=500, lr=1e-3, batch=8)")
        # Wait for the first epoch on the progress display, then interrupt.
        deadline = time.monotonic() + TIMEOUT
        seen = False
        while time.monotonic() < deadline and not seen:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["msg_type"] in ("display_data", "update_display_data"):
                seen = "epoch 1:" in m["content"]["data"]["text/plain"]
        self.assertTrue(seen, "no epoch line on the progress display")
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.reply_to(msg_id)
        print(f"\ninterrupt latency (training, at the next batch): {(time.monotonic() - t0) * 1000:.1f} ms")
        self.assertEqual(reply["content"]["status"], "ok")  # training ends gracefully
        self.assertEqual(self.value_of("run.interrupted"), "true")
        self.assertGreaterEqual(float(self.value_of("run.best_epoch")), 1)

    def test_progress_is_one_display_updated_in_place(self):
        code = "finetune(net1d(preset=\"tiny\", classes=10), synth(n=40, seconds=2.5, seed=2), epochs=3, batch=8);"
        content, outputs = self.run_cell(code)
        self.assertEqual(content["status"], "ok")
        shown = [o for o in outputs if o["msg_type"] == "display_data"]
        updates = [o for o in outputs if o["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1)
        ids = {o["content"]["transient"]["display_id"] for o in shown + updates}
        self.assertEqual(len(ids), 1)
        self.assertGreaterEqual(len(updates), 2)
        self.assertIn("epoch 3:", updates[-1]["content"]["data"]["text/plain"])
        self.assertFalse([o for o in outputs if o["msg_type"] == "stream"])

    # errors, queues, stdin

    def test_one_error_output_with_a_caret(self):
        content, outputs = self.run_cell("x = 1\ny = x + nope")
        outputs = [o for o in outputs if o["msg_type"] not in ("status", "execute_input")]
        self.assertEqual([o["msg_type"] for o in outputs], ["error"])
        tb = outputs[0]["content"]["traceback"]
        self.assertIn("unknown name 'nope'", tb[0])
        self.assertTrue(any("^~~~" in line for line in tb), tb)
        self.assertEqual(self.value_of("x"), "1")  # bindings before the error stay

    def test_stop_on_error_aborts_queued_requests(self):
        # The failing cell takes a moment, so the next two are surely queued when it fails.
        first = self.kc.execute("s = 0\nfor n in range(100000) { s = s + n }\n1 / 0")
        second = self.kc.execute("queued = 1")
        third = self.kc.execute("queued = 2", stop_on_error=False)
        self.assertEqual(self.reply_to(first)["content"]["status"], "error")
        self.assertEqual(self.reply_to(second)["content"]["status"], "aborted")
        self.assertEqual(self.reply_to(third)["content"]["status"], "aborted")
        self.assertEqual(self.run_cell("queued")[0]["status"], "error")

    def test_input_request_when_stdin_is_allowed(self):
        msg_id = self.kc.execute('who = input("record? ")', allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["content"]["prompt"], "record? ")
        self.kc.input("00001_lr")
        self.assertEqual(self.reply_to(msg_id)["content"]["status"], "ok")
        self.assertEqual(self.value_of("who"), '"00001_lr"')
        content, _ = self.run_cell('input("x")', allow_stdin=False)
        self.assertIn("no input is available", content["evalue"])

    # clients and shutdown

    def test_two_clients_and_one_that_disappears(self):
        # Independent clients have sessions (and so socket identities) of their own.
        def client():
            return self.km.client(session=Session(key=self.km.session.key))

        other = client()
        other.start_channels()
        other.wait_for_ready(timeout=TIMEOUT)
        gone = client()
        gone.start_channels()
        gone.wait_for_ready(timeout=TIMEOUT)
        gone.execute("k = 0\nfor n in range(200000) { k = k + n }")
        gone.stop_channels()  # leaves mid-execution
        reply = other.execute_interactive("shared = 5", timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(self.value_of("shared"), "5")
        self.assertEqual(self.value_of("k"), "19999900000")
        other.stop_channels()

    def test_shutdown_while_a_cell_runs(self):
        self.kc.execute("while true { }")
        time.sleep(0.5)
        t0 = time.monotonic()
        self.km.request_shutdown()
        deadline = time.monotonic() + 10
        while self.km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        print(f"\nshutdown while running: process gone after {(time.monotonic() - t0) * 1000:.0f} ms")
        self.assertFalse(self.km.is_alive())

    def test_ipc_transport(self):
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name="ecgs", transport="ipc", ip=os.path.join(os.getcwd(), "kernel-ipc"))
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
            reply = kc.execute_interactive("6 * 7", timeout=TIMEOUT)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_empty_cell_round_trip(self):
        times = []
        for _ in range(50):
            t0 = time.monotonic()
            self.kc.execute_interactive("", timeout=TIMEOUT, output_hook=lambda m: None)
            times.append(time.monotonic() - t0)
        print(f"\nempty cell round trip: median {statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms (n=50)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
