import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

public enum CookieColumn: Int, Sendable, Hashable, CaseIterable {
    case domain, name, value
    public var label: String { ["domain", "name", "value"][rawValue] }
}

/// A focusable place in the create form, in the documentation's order.
public enum FormField: Sendable, Hashable {
    case user, startsAt, cobrowsingURL
    case cookie(row: Int, column: CookieColumn)
    case customData, presenterIframe, prospectIframe
    case submit

    /// The API's field name, where errors for this field are filed.
    public var apiName: String {
        switch self {
        case .user: return MeetingField.user.name
        case .startsAt: return MeetingField.startsAt.name
        case .cobrowsingURL: return MeetingField.cobrowsingURL.name
        case .cookie: return MeetingField.cookies.name
        case .customData: return MeetingField.customData.name
        case .presenterIframe: return MeetingField.presenterIframe.name
        case .prospectIframe: return MeetingField.prospectIframe.name
        case .submit: return ""
        }
    }
}

public struct CookieRow: Sendable, Hashable {
    public var domain = TextField()
    public var name = TextField()
    public var value = TextField()
    public init() {}

    public subscript(column: CookieColumn) -> TextField {
        get {
            switch column {
            case .domain: return domain
            case .name: return name
            case .value: return value
            }
        }
        set {
            switch column {
            case .domain: domain = newValue
            case .name: name = newValue
            case .value: value = newValue
            }
        }
    }
}

/// The create form: what was typed, where the cursor is, and the errors
/// from the client's checks and from the server.
/// Why a submit did not create a meeting, where no single field is to blame.
public enum FormFailure: Hashable, Sendable {
    /// Submitted with marked fields; goes once they are fixed.
    case fixMarkedFields
    /// The API answered with field errors (shown at their fields).
    case refusedByServer
    /// Anything else, in words (network, 401, an answer that may have been lost); may hold several lines.
    case message(String)

    public var text: String {
        switch self {
        case .fixMarkedFields: "Fix the marked fields first"
        case .refusedByServer: "The API refused the meeting: see the marked fields"
        case .message(let text): text
        }
    }
}

public struct MeetingForm: Sendable, Hashable {
    public var user = TextField()
    public var startsAt = TextField()
    public var cobrowsingURL = TextField()
    public var cookies: [CookieRow] = []
    public var customData = TextField()
    public var presenterIframe = TextField()
    public var prospectIframe = TextField()
    public var focus: FormField = .user
    /// Client checks are shown for every field once a submit was tried.
    public var submitAttempted = false
    public var inFlight = false
    /// The API's `errors` object from the last refused submit, by API field name.
    public var serverErrors: [String: [String]] = [:]
    /// A failure that belongs to no field (network, 401...).
    public var failure: FormFailure?
    /// A neutral note under the button (e.g. the result of looking for the meeting).
    public var notice: String?
    /// The last create got no answer (timeout, dropped connection): the meeting may exist.
    public var outcomeUnknown = false
    /// What the last sent create would be found by in the list.
    public var lookup: MeetingLookup?
    /// A look for that meeting is in flight.
    public var lookingUp = false
    /// What User started with (`me`): a form holding only that is still blank.
    public var presetUser: String?
    /// A yes/no question waiting for its answer (the next key).
    public var confirmation: FormConfirmation?

    public init() {}

    /// A new form, User filled with `me` when it is known.
    public init(me: String?) {
        if let me, !me.isEmpty {
            user = TextField(me)
            presetUser = me
        }
    }

    /// Every focusable field, top to bottom.
    public var focusOrder: [FormField] {
        var out: [FormField] = [.user, .startsAt, .cobrowsingURL]
        for row in cookies.indices {
            for col in CookieColumn.allCases { out.append(.cookie(row: row, column: col)) }
        }
        out += [.customData, .presenterIframe, .prospectIframe, .submit]
        return out
    }

    public mutating func moveFocus(by delta: Int) {
        let order = focusOrder
        let i = order.firstIndex(of: focus) ?? 0
        focus = order[max(0, min(order.count - 1, i + delta))]
    }

    public subscript(field: FormField) -> TextField? {
        get {
            switch field {
            case .user: return user
            case .startsAt: return startsAt
            case .cobrowsingURL: return cobrowsingURL
            case .cookie(let r, let c): return cookies.indices.contains(r) ? cookies[r][c] : nil
            case .customData: return customData
            case .presenterIframe: return presenterIframe
            case .prospectIframe: return prospectIframe
            case .submit: return nil
            }
        }
        set {
            guard let v = newValue else { return }
            switch field {
            case .user: user = v
            case .startsAt: startsAt = v
            case .cobrowsingURL: cobrowsingURL = v
            case .cookie(let r, let c): if cookies.indices.contains(r) { cookies[r][c] = v }
            case .customData: customData = v
            case .presenterIframe: presenterIframe = v
            case .prospectIframe: prospectIframe = v
            case .submit: break
            }
        }
    }

    /// Edits the focused field; a server error about it goes away once it changes.
    public mutating func editFocused(_ body: (inout TextField) -> Void) {
        guard var f = self[focus] else { return }
        let before = f
        body(&f)
        self[focus] = f
        if f != before { serverErrors[focus.apiName] = nil }
    }

    /// Adds a cookie row below the focused one (or at the end) and focuses its domain.
    public mutating func addCookieRow() {
        var at = cookies.count
        if case .cookie(let r, _) = focus { at = r + 1 }
        cookies.insert(CookieRow(), at: at)
        focus = .cookie(row: at, column: .domain)
        serverErrors[MeetingField.cookies.name] = nil
    }

    /// The row the delete key acts on: the focused one, else the last one.
    public var cookieRowToDelete: Int? {
        if case .cookie(let r, _) = focus, cookies.indices.contains(r) { return r }
        return cookies.isEmpty ? nil : cookies.count - 1
    }

    /// Deletes cookie row `at`.
    public mutating func deleteCookieRow(_ at: Int) {
        guard cookies.indices.contains(at) else { return }
        cookies.remove(at: at)
        serverErrors[MeetingField.cookies.name] = nil
        if cookies.isEmpty {
            if case .cookie = focus { focus = .cobrowsingURL }
        } else if case .cookie(_, let c) = focus {
            focus = .cookie(row: min(at, cookies.count - 1), column: c)
        }
    }

    /// The first field, top to bottom, that `problems` marks: where the cursor
    /// goes after a refused submit. For cookies, the first empty cell (every
    /// cell is required), else the first cell.
    public func firstMarkedField(_ problems: [String: [String]]) -> FormField? {
        let cookieCells = focusOrder.filter { if case .cookie = $0 { return true } else { return false } }
        let firstEmptyCookie = cookieCells.first { self[$0]?.isEmpty == true }
        return focusOrder.first { f in
            guard problems[f.apiName] != nil else { return false }
            if case .cookie = f { return f == (firstEmptyCookie ?? cookieCells.first) }
            return true
        }
    }

    /// The starts_at preview: what will be sent, or why it cannot be read.
    public func startsAtPreview(now: Date, zone: TimeZone) -> Result<APIDate, FieldProblem>? {
        startsAt.isEmpty ? nil : DateInput.parse(startsAt.text, now: now, zone: zone).mapError { FieldProblem($0.message) }
    }

    /// The custom data object, nil when empty, or why it is refused.
    public func customDataValue() -> Result<[String: JSONValue]?, FieldProblem> {
        let t = customData.text.trimmed
        guard !t.isEmpty else { return .success(nil) }
        do {
            let v = try JSONValue.parse(t)
            guard let o = v.objectValue else {
                return .failure(FieldProblem("must be a JSON object {…}, not \(v.kindName)"))
            }
            return .success(o)
        } catch {
            return .failure(FieldProblem("\(error)"))
        }
    }

    /// The meeting to send, or the client's complaints by API field name.
    public func build(now: Date, zone: TimeZone) -> Result<NewMeeting, FormProblems> {
        var problems: [String: [String]] = [:]
        func add(_ f: String, _ m: String) { problems[f, default: []].append(m) }
        var date = APIDate.inZone(now, zone)
        switch DateInput.parse(startsAt.text, now: now, zone: zone) {
        case .success(let d):
            date = d
            if d.date < now.addingTimeInterval(-60) { add(MeetingField.startsAt.name, "is in the past (\(LocalTime.startText(d.date, zone: zone)))") }
        case .failure(let p): add(MeetingField.startsAt.name, p.message)
        }
        var custom: [String: JSONValue]?
        switch customDataValue() {
        case .success(let o): custom = o
        case .failure(let p): add(MeetingField.customData.name, p.message)
        }
        var cookieValues: [Cookie] = []
        for (i, row) in cookies.enumerated() {
            let missing = CookieColumn.allCases.filter { row[$0].text.isEmpty }.map(\.label)
            if !missing.isEmpty {
                add(MeetingField.cookies.name, "row \(i + 1): \(missing.joined(separator: ", ")) required")
            }
            cookieValues.append(Cookie(domain: row.domain.text, name: row.name.text, value: row.value.text))
        }
        func optional(_ f: TextField) -> String? {
            let t = f.text.trimmed
            return t.isEmpty ? nil : t
        }
        var meeting = NewMeeting(
            user: user.text.trimmed, startsAt: date,
            cobrowsingURL: cobrowsingURL.text.trimmed, cookies: cookieValues,
            customData: custom, presenterWaitingRoomIframeURL: optional(presenterIframe),
            prospectWaitingRoomIframeURL: optional(prospectIframe))
        // Sent exactly as typed: key order, big integers and decimals survive.
        if custom != nil { meeting.customDataRaw = try? RawJSON.parse(customData.text) }
        // The cookie rows were checked above, more strictly (value too).
        for (f, ms) in meeting.validate(now: now).fields where f != MeetingField.cookies.name {
            for m in ms { add(f, m) }
        }
        return problems.isEmpty ? .success(meeting) : .failure(FormProblems(fields: problems))
    }
}

/// How to recognise a meeting a create sent: its owner and exact start. The
/// typed starts_at may be relative ("in 2h"), so the sent time is kept.
public struct MeetingLookup: Sendable, Hashable {
    public var user: String
    public var startsAt: Date

    public init(user: String, startsAt: Date) {
        self.user = user
        self.startsAt = startsAt
    }

    /// The list query that finds it: owner and a two-minute window around the start.
    public func query(per: Int = 100) -> MeetingQuery {
        MeetingQuery(userEmailContains: user, startsFrom: startsAt.addingTimeInterval(-60),
                     startsTo: startsAt.addingTimeInterval(60), page: 1, per: per)
    }

    /// The meeting among `meetings` with this owner and start (to the second), if any.
    public func match(in meetings: [Meeting]) -> Meeting? {
        meetings.first { m in
            guard let u = m.user, let s = m.startsAt else { return false }
            return u.lowercased() == user.lowercased() && abs(s.date.timeIntervalSince(startsAt)) < 1
        }
    }
}

/// The client's complaints about a form, by API field name.
public struct FormProblems: Error, Sendable, Hashable {
    public var fields: [String: [String]]
}

/// A message shown next to a form field.
public struct FieldProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
