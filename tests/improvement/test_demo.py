from django.core.management import call_command

from improvement.models import ChangeIdea, GapMeeting, Phase, PhaseChange


def test_the_demo_team_has_a_past_meeting_and_ideas_in_every_phase(db):
    call_command("seed_demo")
    meeting = GapMeeting.objects.get()
    assert not meeting.is_open and meeting.answers.count() >= 9
    assert set(ChangeIdea.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert PhaseChange.objects.count() >= 5
    assert ChangeIdea.objects.filter(comments__isnull=False).exists()


def test_the_demo_team_has_check_in_history(db):
    from improvement.models import Checkin

    call_command("seed_demo")
    assert Checkin.objects.values("week").distinct().count() == 8
    assert Checkin.objects.filter(share_example=True).exists()
