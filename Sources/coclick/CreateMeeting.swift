import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation
import TerminalText

struct CreateMeeting: AsyncCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a meeting.")

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("u"), .long], help: "Owner email (required).")
    var user: String

    @Option(name: .customLong("starts-at"), help: "Start (required): ISO 8601, '2026-12-01 14:30', 'tomorrow 9:00', 'in 2h'.")
    var startsAt: String

    @Option(name: .customLong("cobrowsing-url"), help: "The website to co-browse (required).")
    var cobrowsingURL: String

    @Option(name: .customLong("cookie"), help: "A cookie for the session, DOMAIN:NAME=VALUE (repeatable).")
    var cookies: [String] = []

    @Option(name: .customLong("custom-data"), help: "Free data as a JSON object, e.g. '{\"user_id\": 17}'.")
    var customData: String?

    @Option(name: .customLong("presenter-waiting-room-iframe-url"), help: "Iframe URL of the presenter waiting room.")
    var presenterIframe: String?

    @Option(name: .customLong("prospect-waiting-room-iframe-url"), help: "Iframe URL of the prospect waiting room.")
    var prospectIframe: String?

    @Flag(help: "Print the API's JSON.")
    var json = false

    @Flag(name: .customLong("allow-past"), help: "Allow a start time in the past.")
    var allowPast = false

    /// `DOMAIN:NAME=VALUE`; the value may contain ':' and '='.
    static func parseCookie(_ text: String) throws -> Cookie {
        do throws(Cookie.ArgumentError) {
            return try Cookie.parse(argument: text)
        } catch .missingColon {
            throw UsageError("--cookie '\(SafeText.escape(text))' is not DOMAIN:NAME=VALUE")
        } catch .missingEquals {
            throw UsageError("--cookie '\(SafeText.escape(text))' is not DOMAIN:NAME=VALUE (missing '=')")
        } catch .emptyDomainOrName {
            throw UsageError("--cookie '\(SafeText.escape(text))': domain and name are required (DOMAIN:NAME=VALUE)")
        }
    }

    /// Strict JSON (no trailing commas, comments or single quotes), kept
    /// exactly as typed, so big integers and decimals are sent unchanged.
    /// JSON that cannot be read is a usage error; what the API would refuse
    /// in JSON that can (`customDataProblems`) is a validation failure.
    static func parseCustomData(_ text: String) throws -> RawJSON {
        do {
            return try RawJSON.parse(text)
        } catch {
            throw UsageError("--custom-data is not valid JSON: \(error.description)")
        }
    }

    /// Why the API would refuse readable custom data: not an object, or a
    /// number it cannot read.
    static func customDataProblems(_ value: RawJSON) -> [String] {
        guard value.members != nil else { return ["must be a JSON object ({...}), not \(value.kindName)"] }
        if let number = value.firstNumberBeyondDouble {
            return ["the number \(SafeText.escape(String(number.prefix(40)))) is too large for the API to read (beyond a double's range, about 1.8e308)"]
        }
        return []
    }

    func newMeeting() throws -> NewMeeting {
        let date = try parseDateOption(startsAt, option: "--starts-at")
        if !allowPast, date.date < Date().addingTimeInterval(-60) {
            throw UsageError("--starts-at \(date.text) is in the past (pass --allow-past to create it anyway)")
        }
        func optional(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let custom = try customData.map(Self.parseCustomData)
        var meeting = NewMeeting(
            user: user.trimmingCharacters(in: .whitespaces), startsAt: date,
            cobrowsingURL: cobrowsingURL.trimmingCharacters(in: .whitespaces),
            cookies: try cookies.map(Self.parseCookie),
            customData: custom.map(JSONValue.init)?.objectValue,
            presenterWaitingRoomIframeURL: optional(presenterIframe),
            prospectWaitingRoomIframeURL: optional(prospectIframe)
        )
        meeting.customDataRaw = custom
        return meeting
    }

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global)
        let meeting = try newMeeting()
        var problems = meeting.validate()
        if let custom = meeting.customDataRaw {
            let refused = Self.customDataProblems(custom)
            if !refused.isEmpty { problems.fields[MeetingField.customData.name, default: []] += refused }
        }
        if !problems.isEmpty {
            Output.warn("the meeting is not valid (nothing was sent):")
            Coclick.printValidation(problems)
            return 5
        }
        let client = try global.client(settings)
        let created: Meeting
        let body: Data
        do {
            (created, body) = try await client.createMeetingResponse(meeting)
        } catch let error as APIError where error.mayHaveBeenCarriedOut {
            // Sent, and the answer lost: only now may the meeting exist.
            Output.warn("\(SafeText.escape(error.description)): the request was sent, so the meeting may have been created; check with 'coclick meetings list --user \(SafeText.escape(meeting.user))' before retrying")
            return 1
        } catch let error as APIError where error.isTransient {
            Output.warn("the meeting was not created: \(SafeText.escape(error.description))")
            return 1
        }
        let raw = try ServerJSON.parse(body)
        if json {
            Output.serverJSON(raw)
        } else {
            Output.line("Created meeting \(SafeText.escape(created.id))")
            Output.line(MeetingText.detail(created, customData: raw[MeetingField.customData.name]))
        }
        return 0
    }
}
