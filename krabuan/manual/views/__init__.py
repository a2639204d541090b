from krabuan.manual.views.pages import improvement_summary, process_detail, process_list

__all__ = ["improvement_summary", "process_detail", "process_list"]
