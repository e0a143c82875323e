from waypoint.core.errors import InvalidInput


class RoadmapRuleBroken(InvalidInput):
    code = "roadmap_rule"
