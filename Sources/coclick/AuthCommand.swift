import ArgumentParser
import CoClickAPI
import Foundation
import TerminalText

struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Check the configured API key.", subcommands: [AuthCheck.self]
    )
}

struct AuthCheck: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Authenticate and print the company and token expiry (never the token)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print {\(AuthField.company.rawValue), \(AuthField.expiresAt.rawValue)} as JSON.")
    var json = false

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global)
        let client = try global.client(settings)
        let session = try await client.authenticate()
        if json {
            struct Out: Encodable {
                let company: String?
                let expires_at: APIDate
                let api_url: String
            }
            try Output.json(Out(company: session.company, expires_at: session.expiresAt, api_url: APIEndpoint.redacted(settings.apiURL.absoluteString)))
        } else {
            let remaining = Int(session.expiresAt.date.timeIntervalSinceNow)
            Output.line("Authenticated with \(Output.safe(APIEndpoint.redacted(settings.apiURL.absoluteString)))")
            Output.line("Company: \(Output.safe(session.company))")
            Output.line("Token expires: \(LocalTime.full(session.expiresAt)) local (\(session.expiresAt.text)), in \(remaining / 60)m \(remaining % 60)s")
        }
        return 0
    }
}
