/// Minimal JSON writing with keys in the order the command-line contract gives them
/// (Foundation's encoders sort keys or keep none), on one line.
public enum JSONText {
    /// A JSON value to write.
    public indirect enum Value {
        case string(String?)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case object([(String, Value)])
        case array([Value])
    }

    public static func render(_ value: Value) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    static func write(_ value: Value, to output: inout String) {
        switch value {
        case .string(nil):
            output += "null"
        case .string(let text?):
            writeString(text, to: &output)
        case .number(let number):
            output += number.isFinite ? formatted(number) : "null"
        case .integer(let integer):
            output += String(integer)
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .object(let members):
            output += "{"
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(member, to: &output)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        }
    }

    /// Scores with 6 significant decimals: enough to order, short enough to read.
    static func formatted(_ number: Double) -> String {
        let rounded = (number * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
