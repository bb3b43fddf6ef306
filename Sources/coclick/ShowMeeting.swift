import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation
import TerminalText

struct ShowMeeting: AsyncCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one meeting, every field.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The meeting's id (or a unique prefix, like the short id the list shows).",
              completion: .custom(ShellCompletion.meetingIDs))
    var id: String

    @Flag(help: "Print the API's JSON.")
    var json = false

    @Flag(help: "Print the ready-to-send invitation text (as the dashboard's i copies it; config: invitation).")
    var invitation = false

    func validate() throws {
        if json && invitation { throw ValidationError("--json and --invitation do not go together") }
        let t = id.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw ValidationError("the meeting id is empty") }
        guard t.utf8.count <= 256, t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ValidationError("'\(SafeText.escape(String(t.prefix(80))))' is not a meeting id")
        }
    }

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global)
        let client = try global.client(settings)
        let (meeting, body) = try await Self.fetch(id.trimmingCharacters(in: .whitespaces), client: client, per: settings.pageSize)
        let raw = try ServerJSON.parse(body)
        if json {
            Output.serverJSON(raw)
        } else if invitation {
            switch Invitation.text(template: settings.invitation, meeting: meeting, zone: .process, now: Date()) {
            case .success(let text): Output.line(text)
            case .failure(let refusal):
                Output.warn(refusal.message(meeting))
                return 1
            }
        } else {
            Output.line(MeetingText.detail(meeting, customData: raw[MeetingField.customData.name]))
        }
        return 0
    }

    /// Fetches by id; a short id that is not found is matched as a unique prefix of the list's ids.
    static func fetch(_ id: String, client: CoClickClient, per: Int) async throws -> (meeting: Meeting, body: Data) {
        do {
            return try await client.meetingResponse(id: id)
        } catch APIError.notFound(let message) {
            // A whole id, as typed, was just looked up; a shorter one, or one in
            // other case (3F2A for 3f2a), is matched as a prefix without regard to case.
            let typed = id.lowercased()
            guard id.count < 64 || typed != id else { throw APIError.notFound(message) }
            let all = try await client.allMeetings(MeetingQuery(per: 100))
            let matches = all.filter { $0.id.lowercased().hasPrefix(typed) }
            if matches.count == 1 { return try await client.meetingResponse(id: matches[0].id) }
            if matches.count > 1 { throw UsageError("'\(id)' matches \(matches.count) meetings; give more of the id") }
            throw APIError.notFound(message)
        }
    }
}
