extension Cookie {
    /// Why a `DOMAIN:NAME=VALUE` argument was refused.
    public enum ArgumentError: Error, Sendable, Hashable {
        case missingColon
        case missingEquals
        case emptyDomainOrName
    }

    /// `DOMAIN:NAME=VALUE` (the `--cookie` argument): the domain ends at the
    /// first ':', the name at the next '='; the value may hold both.
    public static func parse(argument text: String) throws(ArgumentError) -> Cookie {
        // By scalars: a combining mark after ':' or '=' must not hide it
        // inside one Character.
        let scalars = text.unicodeScalars
        guard let colon = scalars.firstIndex(of: ":") else { throw .missingColon }
        let rest = scalars[scalars.index(after: colon)...]
        guard let eq = rest.firstIndex(of: "=") else { throw .missingEquals }
        let domain = String(scalars[..<colon])
        let name = String(rest[..<eq])
        let value = String(rest[rest.index(after: eq)...])
        guard !domain.isEmpty, !name.isEmpty else { throw .emptyDomainOrName }
        return Cookie(domain: domain, name: name, value: value)
    }
}
