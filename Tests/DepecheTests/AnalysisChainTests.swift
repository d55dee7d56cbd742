import Testing
@testable import DepecheAnalysis

/// Each filter of the analysis chain alone, on words built by hand: what a spelling
/// becomes, and what the filter leaves alone.
@Suite("Analysis chain: one filter at a time")
struct AnalysisChainTests {
    let icu = try! ICUText()
    let stemmer = try! SnowballStemmer(language: "french")

    /// A word after the filters given, in order.
    func word(_ written: String, _ filters: [any TokenFilter]) -> AnalyzedWord {
        var word = AnalyzedWord(written: written)
        for filter in filters { filter.apply(to: &word) }
        return word
    }

    /// A word as the folding filter leaves it: what the later filters read.
    func folded(_ written: String) -> AnalyzedWord {
        word(written, [ElisionFilter(), FoldingFilter(icu: icu)])
    }

    @Test func elisionDropsTheArticleAndJoinsANameOnly() {
        #expect(word("l’État", [ElisionFilter()]).spellings.map(\.written) == ["État", "lÉtat"])
        #expect(word("d'une", [ElisionFilter()]).spellings.map(\.written) == ["une"])
        #expect(word("qu’il", [ElisionFilter()]).spellings.map(\.written) == ["il"])
        #expect(word("N’djamena", [ElisionFilter()]).spellings.map(\.written) == ["djamena", "N’djamena".replacingOccurrences(of: "’", with: "")])
        // Not an elision: the apostrophe goes, the word stays one.
        #expect(word("aujourdʼhui", [ElisionFilter()]).spellings.map(\.written) == ["aujourdhui"])
        #expect(word("Macron", [ElisionFilter()]).spellings.map(\.written) == ["Macron"])
    }

    @Test func foldingLowerCasesKeepingAccentsAndFoldsWithout() {
        let spelling = word("ŒUVRÉE", [FoldingFilter(icu: icu)]).spellings[0]
        #expect(spelling.lowercased == "œuvrée")
        #expect(spelling.folded == "oeuvree")
        #expect(spelling.primary == "oeuvree")
        #expect(word("RDC", [FoldingFilter(icu: icu)]).spellings[0].folded == "rdc")
    }

    @Test func functionWordsAreKeptAsWrittenAndOtherWordsAreNot() {
        let filter = FunctionWordFilter()
        for written in ["mais", "Entre", "à", "été"] {
            var word = folded(written)
            filter.apply(to: &word)
            #expect(word.spellings[0].keptAsWritten, "\(written)")
        }
        var word = folded("maison")
        filter.apply(to: &word)
        #expect(!word.spellings[0].keptAsWritten)
        #expect(FunctionWordFilter.ubiquitous.isSubset(of: FunctionWordFilter.words))
    }

    @Test func wordsWithDigitsAndVeryLongWordsAreKeptAsWritten() {
        let filter = IdentifierFilter()
        for written in ["covid19", "G20", String(repeating: "a", count: IdentifierFilter.longestStemmedWord + 1)] {
            var word = folded(written)
            filter.apply(to: &word)
            #expect(word.spellings[0].keptAsWritten, "\(written)")
        }
        var word = folded(String(repeating: "a", count: IdentifierFilter.longestStemmedWord))
        filter.apply(to: &word)
        #expect(!word.spellings[0].keptAsWritten)
    }

    @Test func stemmingAddsTheFoldedStemOfTheAccentedWordThenTheStemOfTheFoldedOne() {
        let filter = StemFilter(stemmer: stemmer, icu: icu)
        var accented = folded("sécurité")
        filter.apply(to: &accented)
        #expect(accented.spellings[0].stems == ["secur", "securit"])
        var plain = folded("securite")
        filter.apply(to: &plain)
        #expect(plain.spellings[0].stems == ["securit"])
        var kept = folded("mais")
        kept.spellings[0].keptAsWritten = true
        filter.apply(to: &kept)
        #expect(kept.spellings[0].stems.isEmpty)
    }

    @Test("Invariable words in -s and -ux are their own singular; true plurals are still cut",
          arguments: ["cours", "corps", "temps", "pays", "fois", "acces", "proces", "succes", "discours", "recours", "mois", "fils",
                      "taux", "faux", "flux", "virus", "processus"])
    func invariableWordsAreTheirOwnSingular(word: String) {
        #expect(SingularFilter.singular(word) == word)
        var analyzed = folded(word)
        SingularFilter().apply(to: &analyzed)
        #expect(analyzed.spellings[0].primary == word)
    }

    @Test func truePluralsBesideTheInvariableWordsAreStillCutAndAuxIsThePluralOfAl() {
        for (plural, singular) in [("cours", "cours"), ("cartes", "carte"), ("courses", "course"), ("elus", "elu"), ("revenus", "revenu"),
                                   ("jeux", "jeu"), ("lieux", "lieu"), ("tapes", "tape"),
                                   ("hopitaux", "hopital"), ("journaux", "journal"), ("maux", "mal"), ("chevaux", "cheval"),
                                   ("travaux", "travail"), ("tuyaux", "tuyau"), ("chateaux", "chateau"), ("taux", "taux"), ("chaux", "chaux")] {
            #expect(SingularFilter.singular(plural) == singular, "\(plural)")
        }
    }

    @Test func singularBecomesThePrimaryTermAndAQueryTerm() {
        let filter = SingularFilter()
        var plural = folded("centers")
        filter.apply(to: &plural)
        #expect(plural.spellings[0].primary == "center")
        #expect(plural.spellings[0].queryForms.map(\.term) == ["center"])
        #expect(SingularFilter.singular("jeux") == "jeu")
        #expect(SingularFilter.singular("stress") == "stress")
        #expect(SingularFilter.singular("bus") == "bus")
        #expect(SingularFilter.singular("chateaux") == "chateau")
        // Words in -ix, -aix, -oix are no plurals.
        for word in ["prix", "paix", "voix", "choix", "croix"] { #expect(SingularFilter.singular(word) == word) }
        var kept = folded("lors")
        kept.spellings[0].keptAsWritten = true
        filter.apply(to: &kept)
        #expect(kept.spellings[0].primary == "lors")
        #expect(kept.spellings[0].queryForms.map(\.term) == ["lors"])
    }

    @Test func theChainComposesTheFiltersInOrderIntoTheFormsOfAWord() throws {
        let analyzer = try FrenchAnalyzer()
        #expect(analyzer.chain.map { String(describing: type(of: $0)) } ==
            ["ElisionFilter", "FoldingFilter", "FunctionWordFilter", "IdentifierFilter", "NameFilter", "LoanwordFilter",
             "StemFilter", "SingularFilter"])
        let forms = analyzer.forms(of: "l’État")
        // A stem that is the word's own form is not indexed twice.
        #expect(forms.document == ["etat", "letat"])
        #expect(forms.prefix == ["etat", "letat"])
        #expect(analyzer.forms(of: "Élections") == FrenchAnalyzer.Forms(document: ["election", "~elect"], query: ["election", "~elect", "elect"],
                                                                         exact: ["election"], prefix: ["election"]))
    }
}

/// The filters that keep names and loanwords away from the French stemmer.
@Suite("Analysis chain: names and loanwords")
struct NameAndLoanwordFilterTests {
    let analyzer = try! FrenchAnalyzer()

    @Test func aPlaceNameIsMatchedAsANameNeverThroughAStem() {
        // Whatever the case of the query: people type names in lower case.
        for written in ["France", "france", "FRANCE"] {
            #expect(analyzer.forms(of: written).query == ["@france", "francai", "francaise"], "\(written)")
        }
        #expect(analyzer.forms(of: "Tours").query == ["@tours"])
        #expect(analyzer.queryForms(atOnePosition: "Mali")?.map(\.kind) == [.exact, .variant, .variant])
        // In quotes or after `=`, the name as written: no demonym.
        #expect(analyzer.queryForms(atOnePosition: "Mali", use: .exact)?.map(\.kind) == [.exact])
    }

    @Test func aDocumentWritingANameWithACapitalIndexesItAsANameAndOtherwiseAsAWord() {
        #expect(analyzer.forms(of: "Tours").document == ["tours", "@tours"])
        #expect(analyzer.forms(of: "tours").document == ["tour"])
        #expect(analyzer.forms(of: "Vienne").document == ["vienne", "@vienne"])
        #expect(analyzer.forms(of: "vienne").document.first == "vienne")
        #expect(!analyzer.forms(of: "vienne").document.contains("@vienne"))
        // The joined spelling of an elided name is a name too.
        #expect(analyzer.forms(of: "N’Djamena").document.contains("@ndjamena"))
    }

    @Test func loanwordsAreNotStemmedAndTheirEnglishPluralStandsUnderTheSingular() {
        #expect(analyzer.forms(of: "center").document == ["center"])
        #expect(analyzer.forms(of: "centers").document == ["center"])
        #expect(analyzer.forms(of: "data").query == ["data"])
        #expect(analyzer.forms(of: "news").document == ["news"])
        #expect(analyzer.forms(of: "Leaders").query == ["leader"])
        // French words are stemmed as before.
        #expect(analyzer.forms(of: "centres").query == ["centre", "~centr", "centr"])
    }

    @Test func stemsNeverMeetAWordAskedAsItsOwnForm() {
        // `pen` is the stem of *Pennes*: as a stem it is a term of its own.
        #expect(analyzer.forms(of: "Pennes").document == ["penne", "~pen"])
        #expect(analyzer.forms(of: "Pen").exact == ["pen"])
        #expect(analyzer.forms(of: "données").exact == ["donnee"])
        #expect(analyzer.forms(of: "données").query == ["donnee", "~don", "don", "~donne", "donne"])
    }
}
