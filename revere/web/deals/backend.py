"""The deals backend as the pages use it: re-exported from revere.deals."""

from revere.deals.selectors import BOARD_STAGES, Card, Column, deal_get, deal_history, deals_board

__all__ = ["BOARD_STAGES", "Card", "Column", "deal_get", "deal_history", "deals_board"]
