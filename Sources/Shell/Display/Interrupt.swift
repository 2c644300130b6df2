import Foundation

/// Ctrl-C handling: SIGINT sets a flag that the interpreter and training poll, so a running
/// computation stops at the next batch or loop iteration; a second Ctrl-C while nothing polls is
/// left to the line editor.
enum Interrupt {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0
    nonisolated(unsafe) static var mainThread = pthread_self()
    /// A self-pipe: the handler writes a byte, so a reader polling it together with stdin wakes up even
    /// when the signal came between its check of `requested` and its wait (no lost wake-up).
    nonisolated(unsafe) static var wakeFDs: (read: Int32, write: Int32) = (-1, -1)

    /// Installs the handler without SA_RESTART, so a blocking read at the prompt returns EINTR. The kernel
    /// may deliver SIGINT to any thread (the engine's workers, OpenBLAS's): the handler passes it on to the
    /// main thread, whose blocked read at the prompt must be the one interrupted.
    static func install() {
        mainThread = pthread_self()
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            wakeFDs = (fds[0], fds[1])
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            Interrupt.requested = 1
            var b: UInt8 = 1
            _ = write(Interrupt.wakeFDs.write, &b, 1)
            if pthread_equal(pthread_self(), Interrupt.mainThread) == 0 { pthread_kill(Interrupt.mainThread, sig) }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent (a test runner, a job-control shell) may have left SIGINT blocked; the mask is inherited.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func clear() {
        requested = 0
        var buf = [UInt8](repeating: 0, count: 64)
        while wakeFDs.read >= 0 && read(wakeFDs.read, &buf, 64) > 0 {}
    }
    static var isRequested: Bool { requested != 0 }
}
