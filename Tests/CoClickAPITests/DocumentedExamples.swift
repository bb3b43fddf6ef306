/// The documentation's example JSON bodies, copied verbatim from
/// `reference/coclick-api-docs.txt` (including its "[email protected]" addresses).
enum DocumentedExamples {
    static let authenticateResponse = #"""
    {
        "token": "eyJhbGciOiJIUzI1NiJ9.eyJjb21wYW55IjoxLCJleHAiOjE2NTY1OTU0MTR9.C9vzT4jSR6QyZiVNlqs5P65Mvc_rdSn9ElIqpIL8eL8",
        "expires_at": "2022-06-30T15:23:34.752+02:00",
        "company": "MyCompany"
    }
    """#

    static let listResponse = #"""
    [
        {
            "id": "bcc18d36d0ba07c00639c48421411f33a7b35c0aa41958dd6964a33892a735b1",
            "user": "[email protected]",
            "status": "scheduled",
            "starts_at": "2021-10-27T17:10:36.000+02:00"
        },
        {
            "id": "c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
            "user": "[email protected]",
            "status": "scheduled",
            "starts_at": "2021-10-30T14:29:33.000+02:00"
        }
    ]
    """#

    static let detailResponse = #"""
    {
        "token": "c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
        "status": "scheduled",
        "starts_at": "2021-10-30T14:29:33.000+02:00",
        "duration": null,
        "cobrowsing_url": "http://www.coclick.io",
        "cobrowsing_cookies_data": [],
        "user": "[email protected]",
        "custom_data": {
            "user_id": 17,
            "username": "Phil"
        },
        "presenter_waiting_room_iframe_url": null,
        "prospect_waiting_room_iframe_url": null,
        "prospect_room_url": "http://www.coclick.io/essai/room/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
        "presenter_room_url": "http://www.coclick.io/essai/presenter/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694"
    }
    """#

    static let createBody = #"""
    {

        "starts_at": "2021-10-30T14:29:33.000+02:00",
        "cobrowsing_url": "http://www.coclick.io",
        "cobrowsing_cookies_data": [],
        "user": "[email protected]",
        "custom_data": {
            "user_id": 17,
            "username": "Phil"
        },
        "presenter_waiting_room_iframe_url": null,
        "prospect_waiting_room_iframe_url": null,
        "prospect_room_url": "http://www.coclick.io/essai/room/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
        "presenter_room_url": "http://www.coclick.io/essai/presenter/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694"
    }
    """#

    static let createResponse = #"""
    {
        "token": "c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
        "status": "scheduled",
        "starts_at": "2021-10-30T14:29:33.000+02:00",
        "duration": null,
        "cobrowsing_url": "http://www.coclick.io",
        "cobrowsing_cookies_data": [],
        "user": "[email protected]",
        "custom_data": {
            "user_id": 17,
            "username": "Phil"
        },
        "presenter_waiting_room_iframe_url": null,
        "prospect_waiting_room_iframe_url": null,
        "prospect_room_url": "http://www.coclick.io/essai/room/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694",
        "presenter_room_url": "http://www.coclick.io/essai/presenter/c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694"
    }
    """#

    static let createError = #"""
    {
        "token": null,
        "status": "scheduled",
        "starts_at": null,
        "duration": null,
        "cobrowsing_url": null,
        "cobrowsing_cookies_data": [],
        "user": null,
        "custom_data": null,
        "presenter_waiting_room_iframe_url": null,
        "prospect_waiting_room_iframe_url": null,
        "prospect_room_url": null,
        "presenter_room_url": null,
        "errors": {
            "user": [
                "User must exist"
            ],
            "starts_at": [
                "please specify a start date"
            ],
            "cobrowsing_url": [
                "Please specify a cobrowsing URL",
                "Cobrowsing URL is not valid"
            ]
        }
    }
    """#
}
