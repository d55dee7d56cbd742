import Testing
@testable import DepecheModel
@testable import DepecheAnalysis

/// Values an index stores and compares with those of later runs: a faster way to
/// compute them must give them bit for bit, or every dispatch of an existing index would
/// be taken as changed (content hash) or fall out of its story (signature).
@Suite("Stored values")
struct StoredValueTests {
    static let dispatch = Dispatch(id: "x", title: "Le cacao ivoirien\tatteint  un record",
                                   standfirst: "Abidjan, 3 mars", body: "Les cours du cacao ont bondi.\n\nLes planteurs de Côte d'Ivoire s'en réjouissent ; l'État aussi.",
                                   origin: Origin(file: "f", line: 1))

    @Test func theContentHashOfATextIsTheOneStoredByEarlierRuns() {
        #expect(Self.dispatch.contentHash == "f37fd7883a0b08e83a0c9391b9c8af42")
    }

    @Test func theStorySignatureOfATextIsTheOneStoredByEarlierRuns() throws {
        var builder = StorySignature.Builder()
        for word in "le cacao ivoirien atteint un record historique a abidjan les cours ont bondi de vingt pour cent en trois semaines".split(separator: " ") {
            builder.add(String(word))
        }
        let signature = try #require(builder.signature)
        #expect(signature.shingles == 18)
        #expect(signature.encoded.withUnsafeBufferPointer { FNV1a64.hash($0) } == 346838052400697591)
        #expect(Array(signature.minima.prefix(4)) == [259178482, 30723744, 14326303, 961958016])
    }
}
