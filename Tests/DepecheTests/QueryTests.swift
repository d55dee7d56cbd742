import Testing
@testable import DepecheModel
@testable import DepecheAnalysis
@testable import DepecheIndex
@testable import DepecheSearch

@Suite("Query grammar")
struct QueryTests {
    /// The FTS5 text the index writes for a query's match.
    func match(_ query: String) throws -> String? { try CompiledQuery(query).match?.fts5 }

    func error(_ query: String) -> QueryError? {
        do {
            _ = try CompiledQuery(query)
            return nil
        } catch let error as QueryError {
            return error
        } catch {
            return nil
        }
    }

    @Test func wordsAreQuotedAndAllRequired() throws {
        #expect(try match("Rosatom data center") == "(\"Rosatom\" AND \"data\" AND \"center\")")
    }

    @Test func punctuationPeopleTypeIsNeverFTS5Syntax() throws {
        #expect(try match("data-center") == "\"data-center\"")
        #expect(try match("l'État") == "\"l'État\"")
        #expect(try match("C++") == "\"C++\"")
        #expect(try match("say \"hi") == "(\"say\" AND \"\u{2}hi\")")
        #expect(try match("x\"b") == "(\"x\" AND \"\u{2}b\")")
        #expect(try match("12:30") == "\"12:30\"")
        // A word before a colon is a field, known or not (an unknown one is an error that names the known ones).
        #expect(throws: QueryError.self) { try match("data:center") }
    }

    @Test func aMatchBuiltByAFeatureIsWrittenByTheIndexAndNeverParsed() throws {
        // Text found in a document or a vocabulary is a phrase, whatever it holds.
        let built = FullTextMatch.all([.phrase(FullTextPhrase("a\" OR b")), .near([FullTextPhrase("x*"), FullTextPhrase("NOT", forms: .own)], distance: 3)],
                                      excluding: [.phrase(FullTextPhrase("c", forms: .prefix, column: .title))])
        #expect(built.fts5 == "(\"a\"\" OR b\" AND NEAR(\"x*\" \"\u{2}NOT\", 3)) NOT title : \"c\"*")
        #expect(built.phrases.map(\.text) == ["a\" OR b", "x*", "NOT", "c"])
        // `--fuzzy`: each corrected word beside the word typed, as a query value.
        let fuzzy = try Searcher.fuzzyQuery([(typed: "Tshisekdi", corrected: "tshisekedi"), (typed: "Trump", corrected: nil)])
        #expect(fuzzy.text == "(Tshisekdi OR tshisekedi) Trump")
        #expect(fuzzy.match?.fts5 == "((\"Tshisekdi\" OR \"tshisekedi\") AND \"Trump\")")
        // A word typed with characters of the query syntax stays one word.
        let odd = try Searcher.fuzzyQuery([(typed: "x)OR(y", corrected: "xory")])
        #expect(odd.match == .all([.any([.phrase(FullTextPhrase("x)OR(y")), .phrase(FullTextPhrase("xory"))])]))
    }

    @Test func phrasesPrefixesAndFields() throws {
        // A quoted phrase, or `=word`, is marked to be matched by its own forms (no stems).
        #expect(try match("\"économie numérique\"") == "\"\u{2}économie numérique\"")
        #expect(try match("=marché") == "\"\u{2}marché\"")
        #expect(try match("= marché") == "\"marché\"")
        #expect(try match("nucl*") == "\"nucl\"*")
        #expect(try match("title:Covid") == "title : \"Covid\"")
        #expect(try match("titre:\"data center\"") == "title : \"\u{2}data center\"")
    }

    @Test func orIsUpperCaseOnlySoTheFrenchWordOrStaysAWord() throws {
        #expect(try match("Dakar OR Abidjan") == "(\"Dakar\" OR \"Abidjan\")")
        #expect(try match("or noir") == "(\"or\" AND \"noir\")")
        #expect(try match("x b OR c") == "((\"x\" AND \"b\") OR \"c\")")
    }

    @Test func exclusionsFollowThePositiveTerms() throws {
        #expect(try match("Congo -Russie") == "\"Congo\" NOT \"Russie\"")
        #expect(try match("Congo -\"data center\" NOT Rosatom") == "\"Congo\" NOT \"\u{2}data center\" NOT \"Rosatom\"")
        #expect(try match("(Dakar OR Thiès) -pluie") == "(\"Dakar\" OR \"Thiès\") NOT \"pluie\"")
    }

    @Test func nearJoinsWordsAndPhrasesWithADistance() throws {
        #expect(try match("Rosatom NEAR/5 Congo") == "NEAR(\"Rosatom\" \"Congo\", 5)")
        #expect(try match("Rosatom NEAR \"data center\" NEAR Congo") == "NEAR(\"Rosatom\" \"\u{2}data center\" \"Congo\", 10)")
        #expect(try match("Kribi port NEAR/2 minéralier") == "(\"Kribi\" AND NEAR(\"port\" \"minéralier\", 2))")
        #expect(try match("near Kribi") == "(\"near\" AND \"Kribi\")")
    }

    @Test func ubiquitousFunctionWordsAmongOtherWordsAreNotRequired() throws {
        #expect(try match("réforme des retraites") == "(\"réforme\" AND \"retraites\")")
        #expect(try match("Le Monde") == "\"Monde\"")
        #expect(try match("Rosatom À data") == "(\"Rosatom\" AND \"data\")")
        // In a phrase, in a field, alone, or beside exclusions only, they stay.
        #expect(try match("\"réforme des retraites\"") == "\"\u{2}réforme des retraites\"")
        #expect(try match("title:le Monde") == "(title : \"le\" AND \"Monde\")")
        #expect(try match("le la") == "(\"le\" AND \"la\")")
        #expect(try match("et -Paris") == "\"et\" NOT \"Paris\"")
        #expect(try CompiledQuery("réforme des retraites").relaxedTerms == [.phrase(FullTextPhrase("réforme")), .phrase(FullTextPhrase("retraites"))])
        #expect(FunctionWordFilter.ubiquitous.isSubset(of: FunctionWordFilter.words))
        // Rarer function words still tell stories apart.
        #expect(try match("manifestation contre la réforme") == "(\"manifestation\" AND \"contre\" AND \"réforme\")")
    }

    @Test func aSinglePhraseIsOneWordPhraseOrPrefixWithNothingExcluded() throws {
        for query in ["Rosatom", "\"gilets jaunes\"", "Notre-Dame", "confin*", "title:Macron", "réforme des", "des", "Macron source:AFP"] {
            #expect(try CompiledQuery(query).isSinglePhrase, "\(query)")
        }
        for query in ["gilets jaunes", "réforme des retraites", "Macron OR Philippe", "Macron -Philippe", "Macron NEAR/3 Philippe", "source:AFP"] {
            #expect(try !CompiledQuery(query).isSinglePhrase, "\(query)")
        }
    }

    @Test func plainRequiredWordsAndPhrasesAreListedForCounting() throws {
        #expect(try CompiledQuery("réforme des retraites").conjunctionTexts?.map(\.text) == ["réforme", "retraites"])
        #expect(try CompiledQuery("\"gilets jaunes\" Paris source:AFP").conjunctionTexts?.map(\.text) == ["gilets jaunes", "Paris"])
        #expect(try CompiledQuery("=marché \"gilets jaunes\" Paris").conjunctionTexts?.map(\.kind) == [.exact, .phrase, .word])
        for query in ["Macron OR Philippe", "Macron -Philippe", "Macron NEAR/3 Philippe", "title:Macron", "confin*", "source:AFP"] {
            #expect(try CompiledQuery(query).conjunctionTexts == nil, "\(query)")
        }
    }

    @Test func metadataFiltersAreNotFullTextTerms() throws {
        let query = try CompiledQuery("Covid source:ACI -category:Sport")
        #expect(query.match == .all([.phrase(FullTextPhrase("Covid"))]))
        #expect(query.filters == [
            MetadataFilter(field: .source, values: ["ACI"], excluded: false),
            MetadataFilter(field: .category, values: ["Sport"], excluded: true),
        ])
        #expect(try CompiledQuery("source:APS").match == nil)
    }

    @Test func relaxedFormOnlyForSeveralPlainWords() throws {
        #expect(try CompiledQuery("Rosatom data -nucléaire").relaxedMatch?.fts5 == "(\"Rosatom\" OR \"data\") NOT \"nucléaire\"")
        #expect(try CompiledQuery("Rosatom").relaxedMatch == nil)
        #expect(try CompiledQuery("a OR b").relaxedMatch == nil)
    }

    @Test func termsWithoutLettersAreDropped() throws {
        #expect(try match("Rosatom * — !") == "\"Rosatom\"")
    }

    @Test("Errors point at the column", arguments: [
        ("", "empty query: type words to search for", 1),
        ("   ", "empty query: type words to search for", 1),
        ("NOT", "NOT needs a term after it", 1),
        ("AND OR", "AND needs a term on each side", 1),
        ("Dakar OR", "OR needs a term after it", 7),
        ("OR Dakar", "OR needs a term before it", 1),
        ("(etat", "'(' is never closed", 1),
        ("etat)", "unmatched ')'", 5),
        ("()", "empty parentheses", 2),
        ("*", "nothing to search for: the query has no letters or digits", 1),
        ("-Russie", "a query needs at least one word that is not excluded", 1),
        ("source:", "source: needs a value", 1),
        ("NEAR Congo", "NEAR needs a word or phrase on each side", 1),
        (String(repeating: "(", count: 40) + "x", "more than 32 nested parentheses", 33),
        ("Congo NEAR", "NEAR needs a word or phrase on each side", 7),
        ("Congo NEAR/3 -Russie", "NEAR needs a word or phrase on each side", 7),
        ("title:Congo NEAR Russie", "NEAR needs a word or phrase on each side", 13),
        ("a OR source:ACI", "source: filters apply to the whole query; they cannot stand inside OR, NOT or parentheses", 1),
    ])
    func errors(case: (String, String, Int)) {
        let found = error(`case`.0)
        #expect(found == QueryError(message: `case`.1, column: `case`.2), "\(`case`.0)")
    }

    @Test func errorMessageNamesTheColumn() {
        #expect(error("Dakar OR")?.description == "query error at column 7: OR needs a term after it")
    }
}
