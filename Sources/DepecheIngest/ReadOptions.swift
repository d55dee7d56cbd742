import Foundation

/// The options that change what a file gives when read: `--format`, `--field` and
/// `--year`. The index remembers them for every file (`sources.read_options`), so
/// that a later run with other options reads the file again instead of skipping it as
/// unchanged, and `index --refresh` reads each file again as it was first read.
public struct ReadOptions: Hashable, Sendable, Codable {
    /// The format forced on the file, instead of the one its name says.
    public var format: InputFormat?
    /// `--field` choices, field name → column.
    public var fields: [String: String]
    /// The year of dates written without one; nil to infer it.
    public var year: Int?

    public init(format: InputFormat? = nil, mapping: FieldMapping = FieldMapping(), year: Int? = nil) {
        self.format = format
        fields = Dictionary(uniqueKeysWithValues: mapping.overrides.map { ($0.key.rawValue, $0.value) })
        self.year = year
    }

    /// The field mapping these options ask for.
    public var mapping: FieldMapping {
        FieldMapping(overrides: Dictionary(uniqueKeysWithValues: fields.compactMap { name, column in
            DispatchField(rawValue: name).map { ($0, column) }
        }))
    }

    /// A canonical text, stored in the index and compared: empty for the defaults (which
    /// is what indexes made before the options were remembered hold), else sorted JSON.
    public var key: String {
        guard format != nil || !fields.isEmpty || year != nil else { return "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The options a stored key stands for; nil when it cannot be read.
    public init?(key: String) {
        if key.isEmpty {
            self.init()
            return
        }
        guard let decoded = try? JSONDecoder().decode(ReadOptions.self, from: Data(key.utf8)) else { return nil }
        self = decoded
    }
}

extension InputFormat: Codable {}
