// Placeholder: the Beast server of issue 4.
namespace beian::http {}
