import Foundation

/// Ctrl-C handling: SIGINT sets a flag that the interpreter and training poll, so a running
/// computation stops at the next batch or loop iteration; a second Ctrl-C while nothing polls is
/// left to the line editor.
enum Interrupt {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    /// Installs the handler without SA_RESTART, so a blocking read at the prompt returns EINTR.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.requested = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent (a test runner, a job-control shell) may have left SIGINT blocked; the mask is inherited.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func clear() { requested = 0 }
    static var isRequested: Bool { requested != 0 }
}
