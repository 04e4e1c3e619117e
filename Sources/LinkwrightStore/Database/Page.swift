import LinkwrightCore

/// One page of a keyset-paginated list.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: PageCursor?

    public init(items: [Item], nextCursor: PageCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from up to `limit + 1` fetched rows: the extra row only proves there is more.
    init(fetched: [Item], limit: Int, cursor: (Item) -> PageCursor) {
        if fetched.count > limit {
            let items = Array(fetched.prefix(limit))
            self.init(items: items, nextCursor: items.last.map(cursor))
        } else {
            self.init(items: fetched, nextCursor: nil)
        }
    }
}
