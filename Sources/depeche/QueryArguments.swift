/// Reads a command line as people type it for the commands that take a query (`search`,
/// `export`, `stats`): a query may start with `-` (`-Russie Poutine`, `"-chômage France"`,
/// an exclusion first, as in a search box), options may come before or after it, and
/// `--` marks the query as usual (`search -- '-Russie' --limit 1`).
///
/// swift-argument-parser reads any argument starting with `-` as options (`-chômage`
/// as `-c -h …`, which printed the help and exited 0), so the arguments are put in the
/// order it reads unambiguously: the options, then `--` and the query. An option is `--`
/// and a name, or `-` and one ASCII letter; anything else is the query. An option's value
/// may start with `-` (`--limit -1` is the value -1, which the range check then refuses).
/// Words left unquoted are one query, as in a search box (`depeche search Le Pen` is
/// `depeche search "Le Pen"`; it failed with "Unexpected argument 'Pen'").
enum QueryArguments {
    /// The commands whose positional argument is a query.
    static let queryCommands: Set<String> = ["search", "export", "stats"]

    /// The options of those commands that take no value (CommandLineTests checks the
    /// list against their help).
    static let flags: Set<String> = ["--help", "-h", "--no-synonyms", "--excel", "--count", "-c", "--quiet", "-q", "--fuzzy", "--as-typed", "--exact-count", "--collapse", "--no-collapse"]

    /// `arguments` (without the program name) in the order the parser reads.
    static func normalized(_ arguments: [String]) -> [String] {
        guard let command = arguments.first, queryCommands.contains(command) else { return arguments }
        var options: [String] = []
        var positionals: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                // The query follows; options after it still count.
                if index < arguments.count {
                    positionals.append(arguments[index])
                    index += 1
                }
                continue
            }
            guard isOption(argument) else {
                positionals.append(argument)
                continue
            }
            if takesValue(argument), index < arguments.count {
                let value = arguments[index]
                index += 1
                // Joined, so that a value starting with `-` is not read as an option.
                options.append(argument.hasPrefix("--") ? argument + "=" + value : argument)
                if !argument.hasPrefix("--") { options.append(value) }
            } else {
                options.append(argument)
            }
        }
        return [command] + options + (positionals.isEmpty ? [] : ["--", positionals.joined(separator: " ")])
    }

    /// `--name`, `--name=value` or `-x`.
    static func isOption(_ argument: String) -> Bool {
        let scalars = Array(argument.unicodeScalars)
        if argument.hasPrefix("--") {
            guard scalars.count > 2, isASCIILetter(scalars[2]) else { return false }
            let name = scalars[2...].prefix { $0 != "=" }
            return name.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
        return scalars.count == 2 && scalars[0] == "-" && isASCIILetter(scalars[1])
    }

    static func takesValue(_ option: String) -> Bool {
        !option.contains("=") && !flags.contains(option)
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
