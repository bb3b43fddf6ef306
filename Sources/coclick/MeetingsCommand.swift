import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation
import TerminalText

struct MeetingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings",
        abstract: "List, show and create meetings.",
        subcommands: [ListMeetings.self, ShowMeeting.self, CreateMeeting.self]
    )
}

extension MeetingStatus: ExpressibleByArgument {
    public init?(argument: String) {
        let s = MeetingStatus(rawValue: argument.lowercased().replacingOccurrences(of: "-", with: "_"))
        guard MeetingStatus.documented.contains(s) else { return nil }
        self = s
    }

    public static var allValueStrings: [String] { documented.map(\.rawValue) }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// Reads a date option the way the create form does.
func parseDateOption(_ text: String, option: String, endOfDay: Bool = false) throws -> APIDate {
    let zone = LocalZone.process.zone
    let result = endOfDay ? DateInput.parseEnd(text, zone: zone) : DateInput.parse(text, zone: zone)
    switch result {
    case .success(let d): return d
    case .failure(let f):
        // The failure quotes what was typed (escaped); an empty value says so.
        throw UsageError("\(option): \(f.kind == .empty ? "needs a date (\(DateInput.examples))" : SafeText.escape(f.message))")
    }
}
