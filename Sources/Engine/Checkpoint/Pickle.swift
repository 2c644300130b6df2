import Foundation

/// Values the restricted unpickler can produce. Lists and dicts are reference types because pickles
/// memoise them before filling them.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes(Data)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    case global(module: String, name: String)
    case storageRef(StorageRef)
    case tensor(Tensor)
    /// An integer wider than 64 bits (LONG1), as its little-endian two's-complement bytes.
    case bigInt([UInt8])
    case numpyDType(NumpyDType)
    case numpyArray(NumpyArray)
    case mark

    var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case let .global(m, n): return "\(m).\(n)"
        case .storageRef: return "storage"
        case .tensor: return "tensor"
        case .bigInt: return "int"
        case .numpyDType: return "numpy.dtype"
        case .numpyArray: return "numpy.ndarray"
        case .mark: return "mark"
        }
    }
}

final class PickleList { var items: [PickleValue] = [] }

/// A reference to a tensor storage inside a checkpoint: its key (file name) and element type.
struct StorageRef {
    let key: String
    let dtype: StorageDType
}

/// Element types of PyTorch storages, named as `torch.save` names their storage classes.
enum StorageDType: String {
    case float = "FloatStorage", double = "DoubleStorage", half = "HalfStorage", bfloat16 = "BFloat16Storage"
    case long = "LongStorage", int = "IntStorage", short = "ShortStorage", char = "CharStorage"
    case byte = "ByteStorage", bool = "BoolStorage"

    var size: Int {
        switch self {
        case .double, .long: return 8
        case .float, .int: return 4
        case .half, .bfloat16, .short: return 2
        case .char, .byte, .bool: return 1
        }
    }
}

/// A pickle virtual machine that accepts only what `torch.save` emits for a dict of tensors.
/// It never imports or calls anything: globals are matched against an allow-list and "calls" of
/// the allowed ones are interpreted here. Everything else is refused with a clear error.
struct RestrictedUnpickler {
    let bytes: [UInt8]
    let source: String
    /// Resolves a storage reference (persistent id) to its raw bytes.
    let loadStorage: (StorageRef) throws -> [UInt8]
    /// Where reading stands: after `run()`, the byte after the pickle's STOP (the legacy format puts
    /// several pickles and then raw storages in one file).
    private(set) var pos = 0
    /// When set, tensors are not rebuilt (`.none` stands for them) and no storage is loaded: a first pass
    /// over a legacy file's main pickle, to find where it ends before its storages can be located.
    var skipTensors = false
    /// Every storage the pickle refers to, by key (element types let a legacy file's storages be located).
    private(set) var storageRefs: [String: StorageRef] = [:]
    private var stack: [PickleValue] = []
    private var memo: [Int: PickleValue] = [:]

    static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "torch.torch.Size", "builtins.dict",
        // NumPy scalars and arrays (e.g. ECGFounder's val_auroc, a numpy.float64) and the latin-1 bytes
        // protocol 2 writes them with: rebuilt from their bytes here, as PyTorch's weights_only loader does.
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar", "numpy.dtype",
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "_codecs.encode"
    ]

    init(bytes: [UInt8], startingAt start: Int, source: String, loadStorage: @escaping (StorageRef) throws -> [UInt8]) {
        self.init(bytes: bytes, source: source, loadStorage: loadStorage)
        pos = start
    }

    init(bytes: [UInt8], source: String, loadStorage: @escaping (StorageRef) throws -> [UInt8]) {
        self.bytes = bytes
        self.source = source
        self.loadStorage = loadStorage
    }

    func fail(_ msg: String) -> EngineError { EngineError("load_model", "\(source): \(msg)") }

    mutating func u8() throws -> UInt8 {
        guard pos < bytes.count else { throw fail("pickle ends unexpectedly at byte \(pos)") }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - pos else { throw fail("pickle ends unexpectedly (needs \(n) bytes at \(pos))") }
        defer { pos += n }
        return bytes[pos..<(pos + n)]
    }

    mutating func uint(_ n: Int) throws -> Int {
        var v = 0
        for (i, b) in try take(n).enumerated() { v |= Int(b) << (8 * i) }
        return v
    }

    mutating func line() throws -> String {
        guard let end = bytes[pos...].firstIndex(of: 0x0A) else { throw fail("unterminated text line in pickle") }
        defer { pos = end + 1 }
        return String(decoding: bytes[pos..<end], as: UTF8.self)
    }

    mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw fail("pickle stack underflow at byte \(pos)") }
        return v
    }

    mutating func popMark() throws -> [PickleValue] {
        guard
            let m = stack.lastIndex(where: {
                if case .mark = $0 { return true }; return false
            })
        else {
            throw fail("pickle has no MARK for the opcode at byte \(pos - 1)")
        }
        let items = Array(stack[(m + 1)...])
        stack.removeSubrange(m...)
        return items
    }

    mutating func run() throws -> PickleValue {
        while true {
            let op = try u8()
            switch op {
            case 0x80: _ = try u8() // PROTO
            case 0x95: _ = try take(8) // FRAME
            case 0x2E: return try pop() // STOP
            case 0x28: stack.append(.mark) // MARK
            case 0x7D: stack.append(.dict(PickleDict())) // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList())) // EMPTY_LIST
            case 0x29: stack.append(.tuple([])) // EMPTY_TUPLE
            case 0x4E: stack.append(.none) // NONE
            case 0x88: stack.append(.bool(true)) // NEWTRUE
            case 0x89: stack.append(.bool(false)) // NEWFALSE
            case 0x4B: stack.append(.int(try uint(1))) // BININT1
            case 0x4D: stack.append(.int(try uint(2))) // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4))))) // BININT
            case 0x8A: // LONG1
                let n = Int(try u8())
                guard n <= 32 else { throw fail("integer of \(n) bytes is too large") }
                let raw = try take(n)
                if n > 8 { stack.append(.bigInt(Array(raw))); break }
                var v: UInt64 = 0
                for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
                if n > 0 && n < 8 && (raw.last! & 0x80) != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) }
                stack.append(.int(Int(Int64(bitPattern: v))))
            case 0x47: // BINFLOAT (big-endian)
                let raw = try take(8)
                stack.append(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x58, 0x8C, 0x8D: // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
                let n = op == 0x8C ? Int(try u8()) : try uint(op == 0x58 ? 4 : 8)
                stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x43, 0x42: // SHORT_BINBYTES, BINBYTES
                let n = op == 0x43 ? Int(try u8()) : try uint(4)
                stack.append(.bytes(Data(try take(n))))
            case 0x71: memo[try uint(1)] = stack.last // BINPUT
            case 0x72: memo[try uint(4)] = stack.last // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last // MEMOIZE
            case 0x68, 0x6A: // BINGET, LONG_BINGET
                let k = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[k] else { throw fail("pickle refers to memo entry \(k) that was never stored") }
                stack.append(v)
            case 0x74: stack.append(.tuple(try popMark())) // TUPLE
            case 0x85: stack.append(.tuple([try pop()])) // TUPLE1
            case 0x86: let b = try pop(); let a = try pop(); stack.append(.tuple([a, b])) // TUPLE2
            case 0x87: let c = try pop(); let b = try pop(); let a = try pop(); stack.append(.tuple([a, b, c]))
            case 0x61: // APPEND
                let v = try pop()
                guard case let .list(l)? = stack.last else { throw fail("APPEND to a non-list") }
                l.items.append(v)
            case 0x65: // APPENDS
                let items = try popMark()
                guard case let .list(l)? = stack.last else { throw fail("APPENDS to a non-list") }
                l.items += items
            case 0x73: // SETITEM
                let v = try pop(); let k = try pop()
                guard case let .dict(d)? = stack.last else { throw fail("SETITEM on a non-dict") }
                d.entries.append((k, v))
            case 0x75: // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0, case let .dict(d)? = stack.last else { throw fail("SETITEMS on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { d.entries.append((items[i], items[i + 1])) }
            case 0x63: // GLOBAL
                let module = try line(), name = try line()
                try allow(module, name)
                stack.append(.global(module: module, name: name))
            case 0x93: // STACK_GLOBAL
                guard case let .string(name) = try pop(), case let .string(module) = try pop() else {
                    throw fail("STACK_GLOBAL needs two strings")
                }
                try allow(module, name)
                stack.append(.global(module: module, name: name))
            case 0x51: // BINPERSID
                stack.append(try persistentLoad(try pop()))
            case 0x52: // REDUCE
                let args = try pop(), callable = try pop()
                stack.append(try reduce(callable, args))
            case 0x62: // BUILD: state of dicts / tensors is ignored
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD with nothing to build") }
                switch target {
                case .dict, .tensor, .none: _ = state
                case .numpyDType(let d):
                    // (version, byte order, subarray, names, fields, elsize, alignment, flags)
                    guard case let .tuple(t) = state, t.count >= 2, case let .string(order) = t[1] else {
                        throw fail("malformed numpy.dtype state")
                    }
                    d.byteOrder = order
                case .numpyArray(let a): try buildArray(a, state)
                default: throw fail("refusing BUILD on \(target.typeName)")
                }
            default:
                throw fail(String(format: "refusing pickle opcode 0x%02X at byte %d (not used by torch.save for tensors)", op, pos - 1))
            }
        }
    }

    func allow(_ module: String, _ name: String) throws {
        let full = "\(module).\(name)"
        if RestrictedUnpickler.allowedGlobals.contains(full) { return }
        if module == "torch", StorageDType(rawValue: name) != nil { return }
        throw fail(
            "refusing to load global '\(full)': only tensors and dicts written by torch.save are accepted (a pickle is never executed)")
    }

    mutating func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        guard case let .tuple(t) = pid, t.count >= 5, case .string("storage") = t[0],
            case let .global("torch", typeName) = t[1], let dtype = StorageDType(rawValue: typeName),
            case let .string(key) = t[2]
        else {
            throw fail("unsupported persistent id (expected ('storage', torch.<Type>Storage, key, location, numel))")
        }
        let ref = StorageRef(key: key, dtype: dtype)
        storageRefs[key] = ref
        return .storageRef(ref)
    }

    mutating func reduce(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case let .global(module, name) = callable, case let .tuple(a) = args else {
            throw fail("REDUCE of \(callable.typeName) is not allowed")
        }
        switch "\(module).\(name)" {
        case "collections.OrderedDict", "builtins.dict":
            return .dict(PickleDict())
        case "torch.torch.Size":
            return a.first ?? .tuple([])
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard let t = a.first else { throw fail("_rebuild_parameter without a tensor") }
            switch t {
            case .tensor: return t
            case .none where skipTensors: return t
            default: throw fail("_rebuild_parameter without a tensor")
            }
        case "torch._utils._rebuild_tensor_v2":
            return skipTensors ? .none : .tensor(try rebuildTensor(a))
        case "_codecs.encode":
            guard a.count == 2, case let .string(text) = a[0], case let .string(codec) = a[1],
                ["latin1", "latin-1"].contains(codec.lowercased())
            else {
                throw fail("_codecs.encode is accepted for latin-1 strings only")
            }
            var out = [UInt8]()
            for u in text.unicodeScalars {
                guard u.value < 256 else { throw fail("_codecs.encode: character U+\(String(u.value, radix: 16)) is not latin-1") }
                out.append(UInt8(u.value))
            }
            return .bytes(Data(out))
        case "numpy.dtype":
            guard let first = a.first, case let .string(code) = first else { throw fail("numpy.dtype needs a type code") }
            return .numpyDType(NumpyDType(code: code))
        case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
            guard a.count == 2, case let .numpyDType(d) = a[0], case let .bytes(data) = a[1] else { throw fail("malformed numpy scalar") }
            guard let v = d.value([UInt8](data), index: 0) else { throw fail("numpy scalar of dtype '\(d.code)' is not a plain number") }
            return d.numeric?.kind == "f" ? .float(v) : d.numeric?.kind == "b" ? .bool(v != 0) : .int(Int(v))
        case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
            guard let cls = a.first, case .global(_, "ndarray") = cls else {
                throw fail("_reconstruct of something other than numpy.ndarray")
            }
            return .numpyArray(NumpyArray())
        default:
            throw fail("calling '\(module).\(name)' is not allowed")
        }
    }

    /// ndarray state: (version, shape, dtype, is_fortran, raw bytes). Numeric dtypes only.
    func buildArray(_ array: NumpyArray, _ state: PickleValue) throws {
        guard case let .tuple(t) = state, t.count == 5, case let .numpyDType(d) = t[2], case let .bytes(data) = t[4] else {
            throw fail("malformed numpy.ndarray state (object arrays are refused)")
        }
        let shape = try ints(t[1], "shape")
        guard let (_, size) = d.numeric else { throw fail("numpy array of dtype '\(d.code)' is not a plain numeric array") }
        let count = try Tensor.checkedCount(shape, op: "load_model")
        guard count * size == data.count else {
            throw fail("numpy array of shape \(shapeString(shape)) needs \(count * size) bytes, has \(data.count)")
        }
        let bytes = [UInt8](data)
        array.shape = shape
        array.dtype = d
        array.values = (0..<count).map { d.value(bytes, index: $0) ?? .nan }
    }

    func ints(_ v: PickleValue, _ what: String) throws -> [Int] {
        guard case let .tuple(items) = v else { throw fail("tensor \(what) must be a tuple") }
        return try items.map {
            guard case let .int(i) = $0 else { throw fail("tensor \(what) must hold integers") }
            return i
        }
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)` → a contiguous Float tensor.
    func rebuildTensor(_ a: [PickleValue]) throws -> Tensor {
        guard a.count >= 4, case let .storageRef(ref) = a[0], case let .int(offset) = a[1] else {
            throw fail("malformed _rebuild_tensor_v2 arguments")
        }
        let size = try ints(a[2], "size"), strides = try ints(a[3], "stride")
        guard size.count == strides.count, size.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), offset >= 0 else {
            throw fail("tensor in storage '\(ref.key)' has inconsistent size \(shapeString(size)) and stride \(shapeString(strides))")
        }
        let count = try Tensor.checkedCount(size, op: "load_model")
        let raw = try loadStorage(ref)
        let available = raw.count / ref.dtype.size
        if count > 0 {
            let last = offset + zip(size, strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
            guard last < available else {
                throw fail("tensor of size \(shapeString(size)) needs element \(last) but storage '\(ref.key)' holds \(available)")
            }
        }
        let t = Tensor(zeros: size, zeroed: false)
        let outStrides = Tensor.strides(of: size)
        raw.withUnsafeBytes { buf in
            for i in 0..<count {
                var rem = i, src = offset
                for d in 0..<size.count {
                    src += (rem / outStrides[d]) * strides[d]
                    rem %= outStrides[d]
                }
                t.data[i] = StorageDecoder.value(buf, index: src, dtype: ref.dtype)
            }
        }
        return t
    }
}

/// Little-endian element decoding for every storage type, converted to Float.
enum StorageDecoder {
    @inline(__always)
    static func value(_ buf: UnsafeRawBufferPointer, index i: Int, dtype: StorageDType) -> Float {
        switch dtype {
        case .float: return Float(bitPattern: buf.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian)
        case .double: return Float(Double(bitPattern: buf.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian))
        case .half: return halfToFloat(buf.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self).littleEndian)
        case .bfloat16: return Float(bitPattern: UInt32(buf.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self).littleEndian) << 16)
        case .long: return Float(Int64(littleEndian: buf.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
        case .int: return Float(Int32(littleEndian: buf.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
        case .short: return Float(Int16(littleEndian: buf.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)))
        case .char: return Float(buf.load(fromByteOffset: i, as: Int8.self))
        case .byte, .bool: return Float(buf[i])
        }
    }

    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exp = Int((h >> 10) & 0x1F), frac = UInt32(h & 0x3FF)
        if exp == 0 {
            let v = Float(frac) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -v : v
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp + 112) << 23 | (frac << 13))
    }
}
