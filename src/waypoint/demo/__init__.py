"""The demo administration: a fictional customs administration modelled on the founding
case in docs (the 2011 strategic-planning workshop), clearly labelled as sample data."""
