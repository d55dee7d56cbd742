import Foundation
import GRDB
import DepecheAnalysis

/// `depeche_story_band(signature, band)`: the key of one band of a stored
/// ``StorySignature`` (``StorySignature/bandKey(_:encoded:)``), NULL for anything else.
/// A bulk build fills `story_bands` with one INSERT … SELECT over every signature at its
/// end (``StoryGroups/groupAll()``) rather than with a statement per band and dispatch
/// while it loads.
enum StoryBandFunction {
    static let name = "depeche_story_band"

    static func register(on db: Database) {
        db.add(function: DatabaseFunction(name, argumentCount: 2, pure: true) { values in
            guard let signature = Data.fromDatabaseValue(values[0]), let band = Int.fromDatabaseValue(values[1]) else { return nil }
            return signature.withUnsafeBytes { StorySignature.bandKey(band, encoded: $0) }
        })
    }
}
