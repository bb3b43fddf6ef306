/// The API's names for the fields of a meeting one creates (`POST /meetings`
/// and the `errors` object about it), in the documentation's order: the one
/// place they are spelled. Forms, screens, validation, drafts and the
/// simulator refer to them through this enum; it is also the `CodingKey` of
/// `NewMeeting`, and `MeetingKey` (every key of a meeting's JSON) builds on it.
public enum MeetingField: String, Sendable, Hashable, CaseIterable, CodingKey {
    case user
    case startsAt = "starts_at"
    case cobrowsingURL = "cobrowsing_url"
    case cookies = "cobrowsing_cookies_data"
    case customData = "custom_data"
    case presenterIframe = "presenter_waiting_room_iframe_url"
    case prospectIframe = "prospect_waiting_room_iframe_url"

    /// The name on the wire.
    public var name: String { rawValue }
}
