<?php
// A small stand-in for PHPMailer 6.9.3's mail transport, written for
// phpmailfix's tests: mailSend() and mailPassthru() have that release's
// shape; everything else is reduced to what sending through mail() needs.

namespace PHPMailer\PHPMailer;

class PHPMailer
{
    const VERSION = '6.9.3';
    public $From = 'root@localhost';
    public $FromName = 'Root User';
    public $Sender = '';
    public $Subject = '';
    public $Body = '';
    public $UseSendmailOptions = true;
    protected $to = array();

    public function setFrom($address, $name = '', $auto = true)
    {
        $this->From = $address;
        $this->FromName = $name;
        if ($auto && empty($this->Sender)) {
            $this->Sender = $address;
        }
        return true;
    }

    public function addAddress($address)
    {
        $this->to[] = $address;
        return true;
    }

    public function send()
    {
        $header = 'From: ' . $this->FromName . ' <' . $this->From . ">\r\n";
        return $this->mailSend($header, $this->Body);
    }

    public static function validateAddress($address)
    {
        return false !== filter_var($address, FILTER_VALIDATE_EMAIL);
    }

    protected static function isShellSafe($string)
    {
        if (escapeshellcmd($string) !== $string) {
            return false;
        }
        return 1 === preg_match('/\A[A-Za-z0-9@._-]+\z/', $string);
    }

    protected function mailSend($header, $body)
    {
        $to = implode(', ', $this->to);
        $params = null;
        // The envelope sender, when Sender is set, valid and shell-safe.
        if (!empty($this->Sender) && static::validateAddress($this->Sender)) {
            if (self::isShellSafe($this->Sender)) {
                $params = sprintf('-f%s', $this->Sender);
            }
        }
        return $this->mailPassthru($to, $this->Subject, $body, $header, $params);
    }

    private function mailPassthru($to, $subject, $body, $header, $params) // expect: phpmailer-empty-sender
    {
        if (!$this->UseSendmailOptions || null === $params) {
            $result = @mail($to, $subject, $body, $header);
        } else {
            $result = @mail($to, $subject, $body, $header, $params);
        }
        return $result;
    }
}
