"""Where a new page goes: a residence, a sector or the whole landlord, among the user's places."""
