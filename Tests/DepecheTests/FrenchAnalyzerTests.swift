import Testing
@testable import DepecheAnalysis

@Suite("French analysis")
struct FrenchAnalyzerTests {
    let analyzer = try! FrenchAnalyzer()

    @Test func elisionStripsTheArticleAndKeepsTheJoinedSpelling() {
        let forms = analyzer.forms(of: "l’État")
        #expect(forms.document.first == "etat")
        #expect(forms.document.contains("letat"))
        #expect(forms.query.contains("etat"))
    }

    @Test func elidedCommonWordsGetNoJoinedSpellingButNamesDo() {
        #expect(analyzer.forms(of: "d’une").document == ["une"])
        #expect(analyzer.forms(of: "qu'il").document == ["il"])
        #expect(analyzer.forms(of: "N'djamena").document.contains("ndjamena"))
        #expect(analyzer.forms(of: "l’Oréal").document.contains("loreal"))
    }

    @Test func functionWordsAreOneUnstemmedTerm() {
        #expect(analyzer.forms(of: "mais").document == ["mais"])
        #expect(analyzer.forms(of: "Les").document == ["les"])
        #expect(analyzer.forms(of: "entre").query == ["entre"])
        #expect(analyzer.forms(of: "à").document == ["a"])
    }

    @Test func quotesAndEqualsAskANameAsWrittenWithoutItsDemonyms() throws {
        #expect(try TestSupport.matches(document: "Le président français en visite", query: "France"))
        for query in ["=France", "\"France\"", "\"la France\""] {
            #expect(try !TestSupport.matches(document: "Le président français en visite à la frontière", query: query), "\(query)")
            #expect(try TestSupport.matches(document: "Il vit en France, à la France d'en bas", query: query), "\(query)")
        }
        #expect(try TestSupport.matches(document: "Le président français", query: "=français"))
    }

    @Test func theButOfASentenceDoesNotMatchTheMonthOfMay() throws {
        #expect(try !TestSupport.matches(document: "mais le gouvernement a cédé", query: "mai"))
        #expect(try TestSupport.matches(document: "le 1er mai à Paris", query: "mai"))
    }

    @Test func allThreeApostrophesElide() {
        for word in ["l'Europe", "l’Europe", "lʼEurope"] {
            #expect(analyzer.forms(of: word).document.first == "europe", "\(word)")
        }
    }

    @Test func ligaturesAreExpandedAndAccentsRemoved() {
        #expect(analyzer.forms(of: "Cœur").document.first == "coeur")
        #expect(analyzer.forms(of: "ŒUVRE").document.first == "oeuvre")
        #expect(analyzer.forms(of: "Élection").document.first == "election")
    }

    @Test func stemsAreFoldedAfterStemmingAndAlsoTakenFromTheFoldedWord() {
        // Snowball reads accents: sécurité → sécur, securite → securit; both are kept.
        let forms = analyzer.forms(of: "sécurité")
        #expect(forms.query.contains("~secur"))
        #expect(forms.query.contains("~securit"))
        #expect(analyzer.forms(of: "securite").query.contains("~securit"))
    }

    @Test func aPluralInAuxIsTheSameExactFormAsItsSingularInAl() {
        #expect(analyzer.forms(of: "hôpitaux").document.first == "hopital")
        #expect(analyzer.forms(of: "hôpital").document.first == "hopital")
        #expect(analyzer.forms(of: "Hôpitaux").exact == analyzer.forms(of: "hôpital").exact)
        #expect(analyzer.forms(of: "travaux").document.first == "travail")
    }

    @Test func pluralsSnowballMissesAreCoveredBySingular() {
        #expect(analyzer.forms(of: "jeux").query.contains("jeu"))
        #expect(analyzer.forms(of: "centers").query.contains("center"))
        #expect(analyzer.forms(of: "center").query.contains("center"))
    }

    @Test func numbersAreNotStemmed() {
        #expect(analyzer.forms(of: "19").document == ["19"])
        #expect(analyzer.forms(of: "2020s").document == ["2020s"])
    }

    @Test func hyphensSplitWordsAndApostrophesDoNot() {
        #expect(WordSegmenter.words(in: "Sassou-N’Guesso, Covid-19 et aujourd'hui.") ==
            ["Sassou", "N’Guesso", "Covid", "19", "et", "aujourd'hui"])
        #expect(WordSegmenter.words(in: "l' État ' x").map(String.init) == ["l", "État", "x"])
    }

    @Test func nonElidedApostrophesJoinTheWord() {
        #expect(analyzer.forms(of: "aujourd’hui").document.first == "aujourdhui")
    }

    @Test func pluralsAreIndexedUnderTheirSingularAndPrefixesToo() {
        #expect(analyzer.forms(of: "nucléaires").prefix == ["nucleaire"])
        #expect(analyzer.forms(of: "Élections").document.first == "election")
        #expect(!analyzer.forms(of: "Élections").document.contains("elections"))
        #expect(analyzer.forms(of: "2020s").document == ["2020s"])
    }

    @Test("Documents and queries match both ways", arguments: [
        ("cœur", "coeur"),
        ("l’État", "etat"),
        ("élections présidentielles", "election presidentielle"),
        ("datas center", "data center"),
        ("Sassou-N’Guesso", "sassou nguesso"),
        ("N'Djamena", "Ndjamena"),
        ("Côte d’Ivoire", "Cote Ivoire"),
        ("Covid-19", "covid 19"),
        ("l'Économie numérique", "économie numérique"),
        ("SÉCURITÉ", "securite"),
        ("jeux", "jeu"),
    ])
    func documentsAndQueriesMatchBothWays(pair: (String, String)) throws {
        #expect(try TestSupport.matches(document: pair.0, query: pair.1), "\(pair.0) ← \(pair.1)")
        #expect(try TestSupport.matches(document: pair.1, query: pair.0), "\(pair.1) ← \(pair.0)")
    }

    @Test func phraseMatchesAcrossElisionAndCase() throws {
        #expect(try TestSupport.matches(document: "le ministre de l’Economie numérique", query: "\"l'économie numérique\""))
        #expect(try !TestSupport.matches(document: "le numérique et l’Economie", query: "\"l'économie numérique\""))
    }

    @Test func unrelatedWordsDoNotMatch() throws {
        #expect(try !TestSupport.matches(document: "Rosatom à Brazzaville", query: "Zuma"))
        #expect(try !TestSupport.matches(document: "la chatte", query: "château"))
    }

    @Test func prefixQueriesMatchSurfaceForms() throws {
        #expect(try TestSupport.matches(document: "les centrales nucléaires", query: "nucl*"))
        #expect(try TestSupport.matches(document: "l’Économie", query: "econ*"))
    }

    @Test func latinFoldingIsICUsFoldingLetterByLetterAndWordByWord() throws {
        let icu = try ICUText()
        for value in LatinFolding.range {
            let letter = String(Unicode.Scalar(value)!)
            #expect(LatinFolding.fold(letter) == icu.foldWithTransliterator(letter), "U+\(String(value, radix: 16, uppercase: true))")
        }
        for word in ["Cœur", "ÉTÉ", "Łódź", "ÆRØ", "İstanbul", "Œuvre", "STRAßE", "ŉ", "Côte-d’Ivoire", "ÿ", "Ĳssel", "Déjà-vu 2019"] {
            let ours = LatinFolding.fold(word) ?? icu.foldWithTransliterator(word)
            #expect(ours == icu.foldWithTransliterator(word), "\(word)")
        }
        #expect(LatinFolding.fold("Cœur") == "coeur")
        // Outside the table, ICU folds.
        #expect(LatinFolding.fold("Ελλάδα") == nil)
        #expect(icu.fold("Ελλάδα") == icu.foldWithTransliterator("Ελλάδα"))
    }
}
