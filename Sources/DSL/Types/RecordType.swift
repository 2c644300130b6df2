import Engine
import Foundation

/// One ECG record (`wfdb(…)`, an element of a dataset).
enum RecordType {
    static let descriptor = TypeDescriptor(
        "Record",
        {
            if case .record(let r) = $0 { return r }; return nil
        },
        fields: [
            FieldOf("signal", "(leads, samples) tensor in mV", get: { .tensor($0.signal) }),
            FieldOf("leads", "lead names", get: { .list($0.leads.map(Value.string)) }),
            FieldOf("rate", "sampling frequency in Hz", get: { .number($0.rate) }),
            FieldOf("labels", "label names", get: { .list($0.labels.map(Value.string)) }),
            FieldOf("name", "record name", get: { .string($0.name) }),
            FieldOf("seconds", "duration", get: { .number($0.seconds) }),
            FieldOf("samples", "samples per lead", get: { .number(Double($0.sampleCount)) }),
            FieldOf("comments", "header comments", get: { .list($0.comments.map(Value.string)) })
        ],
        repr: { r in "Record(\(r.name), \(r.leads.count) leads × \(r.sampleCount) at \(formatNumber(r.rate)) Hz)" },
        block: { r in
            "Record \(r.name): \(r.leads.count) leads × \(r.sampleCount) samples at \(formatNumber(r.rate)) Hz "
                + "(\(String(format: "%.1f", r.seconds)) s)\n" + "leads: \(r.leads.joined(separator: " "))\n"
                + (r.labels.isEmpty ? "" : "labels: \(r.labels.joined(separator: ", "))\n")
        })
}
