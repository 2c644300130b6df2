/// This rank's part of a global training batch in data-parallel training.
///
/// Every rank builds the whole batch (so that random crops, dropout masks and stochastic depth draw from the same
/// generators as one process would) and runs its rows. Batch normalisation takes its statistics over the rows of
/// every rank (PyTorch's SyncBatchNorm), and each rank's mean loss is weighted by its share of the batch, so that the
/// summed gradients are those of the whole batch in one process. A batch with fewer rows than ranks is run whole
/// on every rank, each weighted by 1 / ranks (its statistics then count every rank's copy).
public struct BatchShard: Sendable {
    public let comm: Communicator
    /// This rank's rows of the batch.
    public let rows: Range<Int>
    /// The rows of the whole batch.
    public let batchRows: Int
    /// The rows that the batch statistics sum over, all ranks together.
    public let statisticRows: Int
    /// This rank's factor in the batch's mean loss.
    public let lossWeight: Float
}

extension BatchShard {
    /// `comm`'s part of a batch of `batch` rows.
    public init(batch: Int, comm: Communicator) {
        self.comm = comm
        batchRows = batch
        if batch >= comm.size {
            rows = comm.share(of: batch)
            statisticRows = batch
            lossWeight = Float(rows.count) / Float(batch)
        } else {
            rows = 0..<batch
            statisticRows = batch * comm.size
            lossWeight = 1 / Float(comm.size)
        }
    }

    /// This rank's rows of a batch tensor `(batchRows, …)`.
    public func slice(_ t: Tensor) throws -> Tensor {
        guard t.shape.first == batchRows else {
            throw EngineError("data parallel", "a batch of shape \(shapeString(t.shape)) does not have \(batchRows) rows")
        }
        if rows.count == batchRows { return t }
        let per = t.count / Swift.max(batchRows, 1)
        let out = Tensor(zeros: [rows.count] + t.shape.dropFirst(), zeroed: false)
        out.data.update(from: t.data + rows.lowerBound * per, count: rows.count * per)
        return out
    }
}
