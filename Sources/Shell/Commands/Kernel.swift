import ArgumentParser
import Foundation

/// `ecgs kernel -f CONNECTION_FILE` (what Jupyter starts) and `ecgs kernel install`.
struct Kernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The ECGScript Jupyter kernel: run it (as Jupyter does) or install its kernelspec.",
        subcommands: [KernelRun.self, KernelInstall.self], defaultSubcommand: KernelRun.self)
}

struct KernelRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the kernel on a Jupyter connection file.")
    @Option(name: .customShort("f"), help: "The connection file Jupyter wrote (ports, key, transport).") var connectionFile: String

    func run() throws {
        Interrupt.install() // SIGINT (interrupt_mode "signal") stops a running cell like Ctrl-C
        let kernel: JupyterKernel
        do { kernel = try JupyterKernel(connection: try ConnectionInfo(path: connectionFile)) } catch let e as ZMQ.Failure {
            throw ValidationError(e.description)
        }
        _ = kernel.run()
    }
}

struct KernelInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Write the kernelspec so that Jupyter (JupyterLab, VS Code, nbclient) lists ECGScript.")
    @Flag(help: "For this user (the default): $JUPYTER_DATA_DIR, else ~/.local/share/jupyter.") var user = false
    @Flag(help: "Into the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX)/share/jupyter.") var sysPrefix = false
    @Option(help: "Under DIR/share/jupyter.") var prefix: String?
    @Option(help: "Kernel name (the folder under kernels/).") var name = "ecgs"

    func run() throws {
        guard [user, sysPrefix, prefix != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("choose one of --user, --sys-prefix and --prefix")
        }
        let location: KernelSpec.Location = sysPrefix ? .sysPrefix : prefix.map { .prefix($0) } ?? .user
        do {
            let dir = try KernelSpec.install(name: name, at: location)
            print("installed kernelspec '\(name.lowercased())' in \(dir)")
        } catch let e as ZMQ.Failure { throw ValidationError(e.description) }
    }
}
