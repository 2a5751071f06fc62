from inspectorate.improvement import views
from inspectorate.lib.routes import routes

app_name = "improvement"

urlpatterns = routes(
    """
    ""                                                  case_list              case-list
    <int:pk>/                                           case_detail            case-detail
    <int:pk>/hmi/                                       case_assign            case-assign
    <int:pk>/details/                                   case_details           case-details
    <int:pk>/contacts/new/                              contact_add            contact-add
    <int:pk>/contacts/<int:contact_pk>/letter/          letter_edit            letter-edit
    <int:pk>/contacts/<int:contact_pk>/letter/send/     letter_send            letter-send
    <int:pk>/contacts/<int:contact_pk>/letter/checked/  letter_check           letter-check
    <int:pk>/actions/<int:action_pk>/done/              action_done            action-done
    <int:pk>/actions/<int:action_pk>/reopen/            action_reopen          action-reopen
    <int:pk>/insufficient-progress/                     insufficient_progress  insufficient
    <int:pk>/bring-forward/                             bring_forward          bring-forward
    """,
    views,
)
