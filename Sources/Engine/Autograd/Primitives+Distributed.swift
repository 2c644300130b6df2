import Foundation

/// The collective primitive of data-parallel training.
extension Tensor {
    /// The elementwise sum of this tensor over the ranks of `comm`, on every rank (`MPI_Allreduce`). Its gradient
    /// is summed over the ranks too: every rank's loss depends on every rank's input through the result
    /// (SyncBatchNorm's statistics). With one rank both are the identity.
    public func allReduceSum(_ comm: Communicator) throws -> Tensor {
        let out = clone()
        try comm.allreduceSum(out.data, count: out.count)
        return Tensor.record(out, op: .allReduce, inputs: [self]) { g, _ in
            let summed = g.clone()
            // A failed collective leaves the ranks out of step: the whole job stops with the message.
            do { try comm.allreduceSum(summed.data, count: summed.count) } catch { comm.abort("\(error)") }
            return [summed]
        }
    }
}
