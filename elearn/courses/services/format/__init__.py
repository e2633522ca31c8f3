"""The course file format (courses/README.md): parse into plain dataclasses and write back, exactly.

Parsing never touches the database; every problem is reported as `path:line: message` and all problems of a
run are collected, so an author fixes a folder in one go. course.yml and module front matter are checked against
the JSON Schemas in elearn/courses/schema/; lessons and quizzes are Markdown conventions checked here.
"""

from .course_file import parse_course_yml
from .folder import parse_course_dir, parse_course_tree
from .model import (
    ASSIGNMENT_PREFIX,
    COMPETENCE_RE,
    DEFAULT_QUIZ_PASS,
    MEDIA_DIR,
    MEDIA_NAME_RE,
    MODULE_FILE_RE,
    OUTCOME_KINDS,
    QUIZ_HEADING,
    ROLES,
    SLUG_RE,
    TRUE_FALSE,
    Assignment,
    Course,
    Errors,
    FormatError,
    Lesson,
    MediaFile,
    Module,
    Option,
    Question,
)
from .module_file import parse_module
from .quiz import parse_quiz_text, quiz_text
from .write import course_yml_text, module_text, write_course_dir

__all__ = [
    "ASSIGNMENT_PREFIX",
    "COMPETENCE_RE",
    "DEFAULT_QUIZ_PASS",
    "MEDIA_DIR",
    "MEDIA_NAME_RE",
    "MODULE_FILE_RE",
    "OUTCOME_KINDS",
    "QUIZ_HEADING",
    "ROLES",
    "SLUG_RE",
    "TRUE_FALSE",
    "Assignment",
    "Course",
    "Errors",
    "FormatError",
    "Lesson",
    "MediaFile",
    "Module",
    "Option",
    "Question",
    "course_yml_text",
    "module_text",
    "parse_course_dir",
    "parse_course_tree",
    "parse_course_yml",
    "parse_module",
    "parse_quiz_text",
    "quiz_text",
    "write_course_dir",
]
