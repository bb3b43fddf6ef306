import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the create form holds, as saved to disk between runs: the typed text,
/// nothing secret. Cookie values are left out on purpose (they are often
/// session secrets); their domain and name rows are kept.
public struct FormDraft: Sendable, Hashable, Codable {
    public struct CookieDraft: Sendable, Hashable, Codable {
        public var domain: String
        public var name: String
        public init(domain: String, name: String) {
            self.domain = domain
            self.name = name
        }
    }

    public static let currentVersion = 1

    public var version = FormDraft.currentVersion
    public var user = ""
    public var startsAt = ""
    public var cobrowsingURL = ""
    public var cookies: [CookieDraft] = []
    public var customData = ""
    public var presenterIframe = ""
    public var prospectIframe = ""
    /// A create was sent and never answered: the meeting may exist.
    public var createOutcomeUnknown = false
    /// What that create sent, so "look for it" searches the right owner and time.
    public var sentUser: String?
    public var sentStartsAt: String?

    public init() {}

    /// A field of the form is saved under the API's name for it; the cookies
    /// (values left out) and the draft's own facts under the draft's names.
    enum CodingKeys: CodingKey, CaseIterable {
        case version, user, startsAt, cobrowsingURL, cookies, customData, presenterIframe, prospectIframe
        case createOutcomeUnknown, sentUser, sentStartsAt

        var stringValue: String {
            switch self {
            case .user: return MeetingField.user.name
            case .startsAt: return MeetingField.startsAt.name
            case .cobrowsingURL: return MeetingField.cobrowsingURL.name
            case .customData: return MeetingField.customData.name
            case .presenterIframe: return MeetingField.presenterIframe.name
            case .prospectIframe: return MeetingField.prospectIframe.name
            case .version: return "version"
            case .cookies: return "cookies"
            case .createOutcomeUnknown: return "create_outcome_unknown"
            case .sentUser: return "sent_user"
            case .sentStartsAt: return "sent_starts_at"
            }
        }

        init?(stringValue: String) {
            guard let key = Self.allCases.first(where: { $0.stringValue == stringValue }) else { return nil }
            self = key
        }

        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? FormDraft.currentVersion
        user = try c.decodeIfPresent(String.self, forKey: .user) ?? ""
        startsAt = try c.decodeIfPresent(String.self, forKey: .startsAt) ?? ""
        cobrowsingURL = try c.decodeIfPresent(String.self, forKey: .cobrowsingURL) ?? ""
        cookies = try c.decodeIfPresent([CookieDraft].self, forKey: .cookies) ?? []
        customData = try c.decodeIfPresent(String.self, forKey: .customData) ?? ""
        presenterIframe = try c.decodeIfPresent(String.self, forKey: .presenterIframe) ?? ""
        prospectIframe = try c.decodeIfPresent(String.self, forKey: .prospectIframe) ?? ""
        createOutcomeUnknown = try c.decodeIfPresent(Bool.self, forKey: .createOutcomeUnknown) ?? false
        sentUser = try c.decodeIfPresent(String.self, forKey: .sentUser)
        sentStartsAt = try c.decodeIfPresent(String.self, forKey: .sentStartsAt)
    }
}

extension MeetingForm {
    /// True when nothing was typed: such a form is not worth a draft.
    public var isBlank: Bool {
        (user.isEmpty || user.text == presetUser) && startsAt.isEmpty && cobrowsingURL.isEmpty && cookies.isEmpty && customData.isEmpty
            && presenterIframe.isEmpty && prospectIframe.isEmpty
    }

    /// The form as a draft for disk (cookie values left out).
    public var draft: FormDraft {
        var d = FormDraft()
        d.user = user.text
        d.startsAt = startsAt.text
        d.cobrowsingURL = cobrowsingURL.text
        d.cookies = cookies.map { FormDraft.CookieDraft(domain: $0.domain.text, name: $0.name.text) }
        d.customData = customData.text
        d.presenterIframe = presenterIframe.text
        d.prospectIframe = prospectIframe.text
        // A create still in flight when the draft is written has an unknown outcome too.
        d.createOutcomeUnknown = outcomeUnknown || inFlight
        if d.createOutcomeUnknown, let l = lookup {
            d.sentUser = l.user
            d.sentStartsAt = APIDate(date: l.startsAt).text
        }
        return d
    }

    /// A form with the draft's text, the cursor on the user field.
    public init(draft d: FormDraft) {
        self.init()
        user = TextField(d.user)
        startsAt = TextField(d.startsAt)
        cobrowsingURL = TextField(d.cobrowsingURL)
        cookies = d.cookies.map { c in
            var row = CookieRow()
            row.domain = TextField(c.domain)
            row.name = TextField(c.name)
            return row
        }
        customData = TextField(d.customData)
        presenterIframe = TextField(d.presenterIframe)
        prospectIframe = TextField(d.prospectIframe)
        if d.createOutcomeUnknown {
            outcomeUnknown = true
            if let u = d.sentUser, let t = d.sentStartsAt, let date = APIDate.parse(t) {
                lookup = MeetingLookup(user: u, startsAt: date.date)
            }
        }
    }
}
