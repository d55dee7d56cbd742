import Foundation
import Testing
@testable import DepecheIndex
@testable import DepecheModel
@testable import DepecheRanking
@testable import DepecheSearch

/// The collisions a French stemmer makes at the top of a topical query, on small
/// fixtures written for these tests: each query finds what was asked first, or only.
@Suite("Precision: the top of the list is about what was asked")
struct PrecisionTests {
    static var records: [[String: Any]] { [
        ["id": "france", "title": "La France et l’Europe", "body": "Le président de la France a parlé à Bruxelles.", "date": "2020-01-02"],
        ["id": "franc", "title": "Le franc congolais remonte", "body": "Les francs congolais gagnent face au dollar.", "date": "2020-03-01"],
        ["id": "datacenter", "title": "Rosatom construira un data center", "body": "Le data center de Brazzaville, des centres de données.", "date": "2019-01-01"],
        ["id": "cents", "title": "Six cents manifestants", "body": "Soixante-dix-sept pour cent des votes, à cette date.", "date": "2020-06-01"],
        ["id": "don", "title": "Le centre du don des corps", "body": "Le centre du don reçoit des dons.", "date": "2020-06-02"],
        ["id": "pennes", "title": "Incendie aux Pennes-Mirabeau", "body": "Le feu menace les Pennes-Mirabeau.", "date": "2020-08-01"],
        ["id": "lepen", "title": "Meeting du Rassemblement national", "body": "Marine Le Pen a tenu meeting à Perpignan.", "date": "2019-05-01"],
        ["id": "tours-city", "title": "Inondations à Tours", "body": "La Loire a débordé à Tours dimanche.", "date": "2019-02-01"],
        ["id": "towers", "title": "Les tours jumelles", "body": "Les tours de la cité seront détruites.", "date": "2020-02-01"],
        ["id": "vienne-city", "title": "Concert à Vienne", "body": "L’orchestre de Vienne joue ce soir.", "date": "2019-03-01"],
        ["id": "vienne-verb", "title": "Un témoin", "body": "Il faut qu’il vienne témoigner.", "date": "2020-07-01"],
        ["id": "cafe", "title": "Le prix du café", "body": "Le café robusta a augmenté.", "date": "2018-01-01"],
        ["id": "caf", "title": "La CAF sanctionne un club", "body": "La CAF a sanctionné le club de Kinshasa.", "date": "2020-09-01"],
        ["id": "marche", "title": "Le marché de Dakar", "body": "Le marché central a rouvert.", "date": "2018-02-01"],
        ["id": "marcher", "title": "Marcher pour la paix", "body": "Ils vont marcher dimanche.", "date": "2020-09-02"],
        ["id": "ua", "title": "Sommet à Addis-Abeba", "body": "L’Union africaine réunit ses chefs d’État.", "date": "2018-03-01"],
        ["id": "apart", "title": "Union douanière", "body": "Une union des douanes. " + String(repeating: "Les échanges progressent. ", count: 30)
            + "La presse africaine en parle.", "date": "2020-10-01"],
        ["id": "cour", "title": "La Cour suprême tranche", "body": "La Cour suprême a rendu son arrêt.", "date": "2020-10-05"],
        ["id": "cours", "title": "Le pétrole en hausse", "body": "Le cours du pétrole a grimpé.", "date": "2019-04-01"],
        ["id": "taux", "title": "Le chômage baisse", "body": "Le taux a reculé.", "date": "2019-06-01"],
        ["id": "tau", "title": "La protéine tau", "body": "La protéine tau et la maladie.", "date": "2020-10-06"],
        ["id": "covid-joined", "title": "Bilan du covid19", "body": "Les hôpitaux et le covid19.", "date": "2020-11-01"],
        ["id": "covid-hyphen", "title": "Covid-19 : le point", "body": "Le Covid-19 recule.", "date": "2020-11-02"],
        ["id": "covid-spaced", "title": "Le COVID 19 en Afrique", "body": "Le COVID 19 touche la région.", "date": "2020-11-03"],
        ["id": "corona", "title": "Le coronavirus progresse", "body": "Le coronavirus gagne du terrain.", "date": "2020-11-04"],
        ["id": "cop-joined", "title": "La COP21 s’achève", "body": "Accord à la COP21.", "date": "2015-12-12"],
        ["id": "cop-spaced", "title": "La COP 21 s’ouvre", "body": "Ouverture de la COP 21.", "date": "2015-11-30"],
    ] }
    static let database = try! TestSupport.index(records: records)

    func ids(_ query: String) throws -> [String] {
        var options = SearchOptions()
        options.limit = 20
        return try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search(query, options: options).hits.map(\.id)
    }

    @Test func anInvariableWordFindsItselfBeforeTheWordItsPluralMarkWouldHaveCut() throws {
        // `cours` is not the plural of `cour`, nor `taux` that of `tau`.
        #expect(try ids("cours").first == "cours")
        #expect(try ids("cour").first == "cour")
        #expect(try ids("taux").first == "taux")
        #expect(try ids("\"taux\"") == ["taux"])
    }

    @Test("Letters and digits are one word written joined, hyphenated or spaced, with the same synonyms",
          arguments: ["covid19", "Covid-19", "covid 19", "\"covid 19\"", "=covid19"])
    func lettersAndDigitsAreOneWordHoweverWritten(query: String) throws {
        let writings: Set = ["covid-joined", "covid-hyphen", "covid-spaced"]
        // Quotes and `=` ask for the word typed, without its synonyms (`coronavirus`).
        let asked = query.hasPrefix("=") || query.hasPrefix("\"")
        #expect(Set(try ids(query)) == (asked ? writings : writings.union(["corona"])), "\(query)")
    }

    @Test func aNumberedSummitIsFoundWrittenEitherWay() throws {
        #expect(Set(try ids("COP21")) == ["cop-joined", "cop-spaced"])
        #expect(Set(try ids("COP 21")) == ["cop-joined", "cop-spaced"])
        // The writing typed ranks first.
        #expect(try ids("COP21").first == "cop-joined")
        #expect(try ids("COP 21").first == "cop-spaced")
    }

    @Test func aPlaceNameNeverFindsTheWordsItsStemShares() throws {
        #expect(try ids("France") == ["france"])
        #expect(try ids("france") == ["france"])
        #expect(try ids("francs") == ["franc"])
        #expect(try ids("Tours") == ["tours-city"])
        #expect(try ids("tours") == ["tours-city"])
        #expect(try ids("tour") == ["towers"])
        #expect(try ids("Vienne") == ["vienne-city"])
    }

    @Test func loanwordsAreNotFoldedIntoFrenchWords() throws {
        #expect(try ids("data center") == ["datacenter"])
        #expect(try ids("center") == ["datacenter"])
    }

    @Test func exactFormsRankAboveStemsWhateverTheDate() throws {
        // The stem-only matches are newer: exact forms still come first.
        #expect(try ids("le pen").first == "lepen")
        #expect(try ids("café").first == "cafe")
        #expect(try ids("marché").first == "marche")
        #expect(try ids("centres de données").first == "datacenter")
    }

    @Test func wordsSideBySideRankAboveTheSameWordsFarApart() throws {
        // The far-apart dispatch is newer and has `union` in its title.
        #expect(try ids("Union africaine") == ["ua", "apart"])
        #expect(try ids("union africaine") == ["ua", "apart"])
    }

    @Test func aQueryWithoutAnyHitIsNotSaidToBeRelaxed() throws {
        let result = try Searcher(index: DispatchIndex(path: Self.database, readOnly: true)).search("zzzq yyyq")
        #expect(result.total == 0 && !result.relaxed)
        let run = try CLI.run(["search", "zzzq yyyq", "--db", Self.database, "--format", "json"])
        #expect(run.stdout.contains("\"total\":0,\"total_exact\":true,\"relaxed\":false"), "\(run.stdout)")
    }

    @Test func quotedPhrasesAndEqualsWordsMatchFormsNotStems() throws {
        #expect(try ids("\"centres de données\"") == ["datacenter"])
        #expect(try ids("\"marché\"") == ["marche"])
        #expect(try ids("=marché") == ["marche"])
        #expect(try ids("=marché Dakar") == ["marche"])
        // Without quotes the stems still find the verb.
        #expect(try Set(ids("marché")) == ["marche", "marcher"])
    }
}

/// Recency in an archive that mixes periods: ages count from a reference that a stray
/// recent mention does not move.
@Suite("Precision: recency in a mixed archive")
struct MixedArchiveRecencyTests {
    @Test func theReferenceDayIsTheNewestOfTheNewestTwentiethNotTheSingleNewest() {
        let wave = (0..<60).map { 18_300 + $0 }            // two months of 2020
        let days = wave + [20_280]                          // and one mention in 2025
        #expect(RecencyBlend.referenceRank(matches: 61) == 4)
        #expect(RecencyBlend.referenceDay(amongDays: days, matches: 61) == 18_357)
        // A handful of matches: the newest.
        #expect(RecencyBlend.referenceDay(amongDays: [1, 5, 3], matches: 3) == 5)
        // Fewer dated than the rank: the oldest dated.
        #expect(RecencyBlend.referenceDay(amongDays: [7, 9], matches: 200) == 7)
    }

    @Test func matchDaysCountedByBlockMergeIntoTheSameReferenceDay() {
        // Two blocks of matches counted apart, then merged: the rank-th newest counts
        // each match, not each day.
        var first = MatchDays()
        for day in [10, 12, 12, 12, 15] { first.add(day) }
        var second = MatchDays()
        for day in [11, 15, 16] { second.add(day) }
        #expect(first.newest(covering: 2).map(\.day) == [15, 12])
        #expect(first.newest(covering: 2).map(\.count) == [1, 3])
        #expect(first.newest(covering: 99).map(\.day) == [15, 12, 10])
        first.merge(second)
        #expect(first.day(atRank: 1) == 16)
        #expect(first.day(atRank: 3) == 15)
        #expect(first.day(atRank: 4) == 12)
        #expect(first.day(atRank: 6) == 12)
        #expect(first.day(atRank: 7) == 11)
        #expect(first.day(atRank: 9) == nil)
        #expect(first.oldest == 10)
        // What a block hands over (the newest days covering the rank) is enough.
        #expect(MatchDays(first.newest(covering: 4)).day(atRank: 4) == 12)
        // Of 8 matches the newest; of 100 (92 undated) the 5th newest; of 200 the oldest.
        #expect(first.referenceDay(matches: 8) == 16)
        #expect(first.referenceDay(matches: 100) == 12)
        #expect(first.referenceDay(matches: 200) == 10)
    }

    @Test func oneStrayRecentMentionDoesNotFlattenTheRecencyOfAWave() throws {
        // A lockdown wave of 2020, weekly, each story as relevant as the next; then one
        // passing mention in 2025.
        var records: [[String: Any]] = (0..<60).map { week in
            ["id": "w\(week)", "title": "Confinement, semaine \(week)", "body": "Le confinement continue.",
             "date": Day(dayNumber: Day(year: 2020, month: 1, day: 1)!.dayNumber + 7 * week).description]
        }
        records.append(["id": "stray", "title": "Incendie près de Marseille", "body": "Les habitants appelés au confinement.", "date": "2025-07-08"])
        let database = try TestSupport.index(records: records)
        var options = SearchOptions()
        options.limit = 5
        let hits = try Searcher(index: DispatchIndex(path: database, readOnly: true)).search("confinement", options: options).hits.map(\.id)
        // The newest weeks of the wave first (the stray story's title does not have the word).
        #expect(hits == ["w59", "w58", "w57", "w56", "w55"])
    }
}
