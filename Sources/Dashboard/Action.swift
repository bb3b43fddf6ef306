import CoClickAPI
import Foundation

/// Everything that can happen to the dashboard.
public enum Action: Sendable {
    case key(Key)
    /// The 1-second clock.
    case tick(Date)
    case resize(width: Int, height: Int)
    /// The poll timer fired.
    case pollDue
    case listLoaded(query: MeetingQuery, page: MeetingPage, company: String?, at: Date)
    case listFailed(query: MeetingQuery, error: APIError, at: Date)
    case detailLoaded(Meeting, purpose: DetailPurpose)
    case detailFailed(id: String, error: APIError, purpose: DetailPurpose)
    case created(Meeting)
    case createFailed(APIError)
    case copyFailed(String)
}

/// Work for the runtime. Results come back as `Action`s.
public enum Effect: Sendable, Hashable {
    case fetchList(MeetingQuery)
    case fetchDetail(id: String, purpose: DetailPurpose)
    case create(NewMeeting)
    /// Put `text` on the clipboard (OSC 52 in the state's clipboard mode).
    case copy(text: String, label: String)
    /// (Re)arm the one poll timer.
    case schedulePoll(after: TimeInterval)
    case quit
}
