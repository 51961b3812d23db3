"""The manager's team pages: the team view with each seller's scorecard, and coaching plans proposed
from the scorecard's gaps. They compose the levers and the playbook, so they live here, above both."""
